import type { z } from 'zod/v4'
import { GraphValidationError } from '../errors/graph-errors'
import { CompiledGraph, type CompileOptions, type GraphPlan } from '../run/compiled-graph'
import { subgraphNode } from '../run/subgraph-node'
import { END, START } from './constants'
import type {
  BranchSpec,
  ConditionalEdgeOptions,
  JoinSpec,
  NodeFunction,
  NodeOptions,
  NodeSpec,
  Reducers,
  Route,
} from './types'

/** Any zod object schema: the shape of a graph's state. */
export type StateSchema = z.ZodObject<any>

/** Options of {@link createGraph}. */
export interface CreateGraphOptions<Schema extends StateSchema> {
  /** The state's zod object schema: every node's state, update and the run's result are typed by it. */
  state: Schema
  /** Reducers for keys that several nodes (or parallel tasks) update, e.g. appending to a list. */
  reducers?: Reducers<z.infer<Schema>>
  /** The graph's name, kept in its checkpoints (a thread of one graph cannot be resumed by another). Default `graph`. */
  name?: string
  /**
   * The state schema's version, kept in every checkpoint. Change it when the state's shape changes;
   * resuming a thread written with another version fails with a typed error unless `compile({ migrate })`
   * turns the old state into the new one. Default `1`.
   */
  version?: string | number
}

const RESERVED = new Set<string>([START, END])

/**
 * Builds a graph: add nodes and edges, then `compile()` it, which checks it and returns a
 * {@link CompiledGraph} you can run, stream and resume.
 */
export class GraphBuilder<State extends Record<string, unknown>> {
  readonly #schema: StateSchema
  readonly #reducers: Reducers<State>
  readonly #name: string
  readonly #version: string | number
  readonly #nodes = new Map<string, NodeSpec<State>>()
  readonly #edges: [from: string, to: string][] = []
  readonly #joins: JoinSpec[] = []
  readonly #branches: BranchSpec<State>[] = []

  /** @internal Use {@link createGraph}. */
  constructor(schema: StateSchema, reducers: Reducers<State>, name: string, version: string | number) {
    this.#schema = schema
    this.#reducers = reducers
    this.#name = name
    this.#version = version
  }

  /**
   * Adds a node. A {@link CompiledGraph} is a node too (a subgraph): it runs with the parent's
   * state, and its update is what its nodes wrote (to keys the parent's state has), each write
   * applied through the parent's reducers in the order the subgraph applied it; not its result
   * state, so a reducer key does not get the values the subgraph was given twice, and a key it
   * never wrote keeps the parent's value. Its events are relayed with their `path`. When a node inside it (at any depth) calls `interrupt()`, the parent
   * run ends `interrupted` with that interrupt (its `path` names the subgraph nodes, its `id`
   * answers it); `resume` continues inside the subgraph without running its completed steps again.
   * The subgraph's progress is kept in the parent's thread: a checkpointer compiled into the
   * subgraph is not used when it runs as a node.
   *
   * @typeParam Input - what a {@link Send} to this node carries (`context.input`).
   * @throws GraphValidationError when the name is empty, reserved or already taken.
   */
  addNode<Input = undefined>(
    name: string,
    node: NodeFunction<State, Input> | CompiledGraph<any>,
    options: NodeOptions<State> = {},
  ): this {
    if (typeof name !== 'string' || name === '' || RESERVED.has(name)) {
      throw new GraphValidationError({
        message: `A node name must be a non-empty string other than START and END; got ${JSON.stringify(name)}.`,
        nodes: [String(name)],
      })
    }
    if (this.#nodes.has(name)) {
      throw new GraphValidationError({
        message: `The graph already has a node named "${name}".`,
        nodes: [name],
      })
    }
    const run =
      node instanceof CompiledGraph
        ? subgraphNode<State>(node)
        : typeof node === 'function'
          ? (node as NodeFunction<State, unknown>)
          : undefined
    if (run === undefined) {
      throw new GraphValidationError({
        message: `Node "${name}" must be a function or a compiled graph; got ${typeof node}.`,
        nodes: [name],
      })
    }
    this.#nodes.set(name, { name, run, options, subgraph: node instanceof CompiledGraph })
    return this
  }

  /**
   * Adds an edge: after `from` runs, `to` runs in the next step. `from` may be `START` (the
   * entry), `to` may be `END`. With a list of sources, `to` runs once after ALL of them have run
   * (a join: parallel branches of different lengths meet there).
   */
  addEdge(from: string | readonly string[], to: string): this {
    if (Array.isArray(from)) {
      if (from.length === 0) {
        throw new GraphValidationError({
          message: `A join edge to "${to}" needs at least one source.`,
          nodes: [to],
        })
      }
      this.#joins.push({ sources: [...from], target: to })
    } else {
      this.#edges.push([from as string, to])
    }
    return this
  }

  /**
   * Adds a conditional edge: after `from` runs, `route(state)` picks what runs next — a node name,
   * `END`, a {@link Send} (dynamic fan-out), or a list of them (parallel branches).
   */
  addConditionalEdges(from: string, route: Route<State>, options: ConditionalEdgeOptions = {}): this {
    if (typeof route !== 'function') {
      throw new GraphValidationError({
        message: `The route from "${from}" must be a function.`,
        nodes: [from],
      })
    }
    this.#branches.push({
      from,
      route,
      targets: options.targets === undefined ? undefined : [...options.targets],
    })
    return this
  }

  /**
   * Checks the graph and returns the runnable {@link CompiledGraph}.
   *
   * @throws GraphValidationError naming the node(s), for: an edge to or from an unknown node, no
   * entry (no edge from `START`), a node that cannot be reached from `START`, or two nodes that can
   * run in the same step and declare (`writes`) the same key that has no reducer.
   */
  compile(options: CompileOptions<State> = {}): CompiledGraph<State> {
    const plan = this.#plan()
    return new CompiledGraph<State>(plan, options)
  }

  #plan(): GraphPlan<State> {
    const nodes = this.#nodes
    const known = (name: string, allowed: string) => name === allowed || nodes.has(name)
    const unknown = (name: string, role: string): never => {
      throw new GraphValidationError({
        message: `An edge ${role} unknown node "${name}". Known nodes: ${[...nodes.keys()].join(', ') || '(none)'}.`,
        nodes: [name],
      })
    }
    for (const [from, to] of this.#edges) {
      if (!known(from, START)) unknown(from, 'starts at')
      if (!known(to, END)) unknown(to, 'goes to')
    }
    for (const join of this.#joins) {
      for (const source of join.sources) if (!nodes.has(source)) unknown(source, 'joins from')
      if (!known(join.target, END)) unknown(join.target, 'goes to')
    }
    for (const branch of this.#branches) {
      if (!known(branch.from, START)) unknown(branch.from, 'starts at')
      for (const target of branch.targets ?? []) if (!known(target, END)) unknown(target, 'can go to')
    }
    const schemaKeys = new Set(Object.keys(this.#schema.shape))
    for (const node of nodes.values()) {
      for (const key of node.options.writes ?? []) {
        if (!schemaKeys.has(key)) {
          throw new GraphValidationError({
            message: `Node "${node.name}" declares it writes "${key}", which the state schema does not have.`,
            nodes: [node.name],
          })
        }
      }
    }

    const successors = new Map<string, string[]>()
    for (const [from, to] of this.#edges) {
      const list = successors.get(from) ?? []
      if (!list.includes(to)) list.push(to)
      successors.set(from, list)
    }
    const branchesFrom = new Map<string, BranchSpec<State>[]>()
    for (const branch of this.#branches) {
      const list = branchesFrom.get(branch.from) ?? []
      list.push(branch)
      branchesFrom.set(branch.from, list)
    }
    if (!successors.has(START) && !branchesFrom.has(START)) {
      throw new GraphValidationError({
        message: 'The graph has no entry: add an edge from START, e.g. graph.addEdge(START, "first").',
        nodes: [START],
      })
    }

    this.#checkReachable(successors, branchesFrom)
    this.#checkParallelWrites(successors, branchesFrom)

    return {
      name: this.#name,
      version: this.#version,
      schema: this.#schema,
      reducers: this.#reducers,
      nodes,
      successors,
      branches: branchesFrom,
      joins: this.#joins,
    }
  }

  #checkReachable(successors: Map<string, string[]>, branches: Map<string, BranchSpec<State>[]>): void {
    const seen = new Set<string>([START])
    const queue: string[] = [START]
    let everything = false
    while (queue.length > 0 && !everything) {
      const current = queue.shift() as string
      const next = [...(successors.get(current) ?? [])]
      for (const branch of branches.get(current) ?? []) {
        if (branch.targets === undefined) everything = true
        else next.push(...branch.targets)
      }
      for (const join of this.#joins) if (join.sources.includes(current)) next.push(join.target)
      for (const name of next) {
        if (!seen.has(name)) {
          seen.add(name)
          queue.push(name)
        }
      }
    }
    if (everything) return
    const unreachable = [...this.#nodes.keys()].filter((name) => !seen.has(name))
    if (unreachable.length > 0) {
      throw new GraphValidationError({
        message: `Unreachable from START: ${unreachable.map((n) => `"${n}"`).join(', ')}. Add an edge to ${unreachable.length === 1 ? 'it' : 'them'}, list ${unreachable.length === 1 ? 'it' : 'them'} in a conditional edge's targets, or remove ${unreachable.length === 1 ? 'it' : 'them'}.`,
        nodes: unreachable,
      })
    }
  }

  #checkParallelWrites(successors: Map<string, string[]>, branches: Map<string, BranchSpec<State>[]>): void {
    const groups: string[][] = [...successors.values()]
    for (const list of branches.values())
      for (const branch of list) if (branch.targets) groups.push([...branch.targets])
    const reducers = this.#reducers as Record<string, unknown>
    for (const group of groups) {
      const writers = new Map<string, string>()
      for (const name of group) {
        for (const key of this.#nodes.get(name)?.options.writes ?? []) {
          if (reducers[key] !== undefined) continue
          const other = writers.get(key)
          if (other !== undefined && other !== name) {
            throw new GraphValidationError({
              message: `Nodes "${other}" and "${name}" can run in the same step and both write "${key}", which has no reducer: give "${key}" a reducer in createGraph({ reducers }) or make the nodes run one after the other.`,
              nodes: [other, name],
            })
          }
          writers.set(key, name)
        }
      }
    }
  }
}

/**
 * Starts a typed graph over a zod object schema:
 *
 * ```ts
 * const graph = createGraph({ state: z.object({ n: z.number() }) })
 *   .addNode('double', (state) => ({ n: state.n * 2 }))
 *   .addEdge(START, 'double')
 *   .addEdge('double', END)
 *   .compile()
 * const { state } = await graph.run({ n: 21 }) // state.n === 42
 * ```
 */
export function createGraph<Schema extends StateSchema>(
  options: CreateGraphOptions<Schema>,
): GraphBuilder<z.infer<Schema>> {
  const schema = options?.state as StateSchema | undefined
  if (
    schema === undefined ||
    typeof schema !== 'object' ||
    typeof (schema as { shape?: unknown }).shape !== 'object'
  ) {
    throw new GraphValidationError({
      message: 'createGraph needs { state: z.object({ ... }) }: the state must be a zod object schema.',
      nodes: [],
    })
  }
  const reducers = (options.reducers ?? {}) as Record<string, unknown>
  for (const [key, reducer] of Object.entries(reducers)) {
    if (!(key in schema.shape)) {
      throw new GraphValidationError({
        message: `There is a reducer for "${key}", which the state schema does not have.`,
        nodes: [],
      })
    }
    if (typeof reducer !== 'function') {
      throw new GraphValidationError({ message: `The reducer for "${key}" must be a function.`, nodes: [] })
    }
  }
  return new GraphBuilder(schema, reducers as never, options.name ?? 'graph', options.version ?? 1)
}
