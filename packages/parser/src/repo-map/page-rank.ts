/** A weighted directed edge between node indices. */
export interface WeightedEdge {
  readonly from: number
  readonly to: number
  readonly weight: number
}

/** Options of {@link pageRank}. */
export interface PageRankOptions {
  /** Probability of following an edge rather than jumping. Default 0.85. */
  readonly damping?: number
  /**
   * Where random jumps land, one non-negative weight per node (normalised here). Default:
   * uniform. Dangling nodes (no out-edges) also jump by it, as in networkx.
   */
  readonly personalization?: readonly number[]
  /** Stop when the L1 change of an iteration is below this times the node count. Default 1e-6. */
  readonly tolerance?: number
  /** At most this many iterations. Default 100. */
  readonly maxIterations?: number
}

/**
 * Weighted, personalised PageRank by power iteration. Returns one score per node, summing to 1.
 * Parallel edges add up. O(iterations × (nodes + edges)).
 */
export function pageRank(
  nodeCount: number,
  edges: readonly WeightedEdge[],
  options: PageRankOptions = {},
): number[] {
  if (nodeCount === 0) return []
  const damping = options.damping ?? 0.85
  const tolerance = (options.tolerance ?? 1e-6) * nodeCount
  const maxIterations = options.maxIterations ?? 100

  let jump = options.personalization?.slice(0, nodeCount) ?? []
  let jumpTotal = jump.reduce((sum, value) => sum + Math.max(0, value), 0)
  if (jump.length !== nodeCount || !(jumpTotal > 0)) {
    jump = new Array<number>(nodeCount).fill(1)
    jumpTotal = nodeCount
  }
  const teleport = jump.map((value) => Math.max(0, value) / jumpTotal)

  const outWeight = new Float64Array(nodeCount)
  for (const edge of edges) outWeight[edge.from] = (outWeight[edge.from] as number) + edge.weight
  let rank = Float64Array.from(teleport)
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const next = new Float64Array(nodeCount)
    let dangling = 0
    for (let node = 0; node < nodeCount; node++) if (outWeight[node] === 0) dangling += rank[node] as number
    for (const edge of edges) {
      next[edge.to] =
        (next[edge.to] as number) +
        (damping * (rank[edge.from] as number) * edge.weight) / (outWeight[edge.from] as number)
    }
    let change = 0
    for (let node = 0; node < nodeCount; node++) {
      const value = (next[node] as number) + (damping * dangling + (1 - damping)) * (teleport[node] as number)
      change += Math.abs(value - (rank[node] as number))
      next[node] = value
    }
    rank = next
    if (change < tolerance) break
  }
  return Array.from(rank)
}
