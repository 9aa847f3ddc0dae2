import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseCode } from '../src/parse-code'
import type { CodeSymbols } from '../src/symbols/code-symbols'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

/**
 * What each fixture in `fixtures/symbols/` must yield. Definitions are written
 * `kind name` or `kind enclosing.name`; every one listed must be found, with exactly that kind
 * and enclosing symbol, and nothing else may be found (the list is complete).
 */
interface Expected {
  file: string
  definitions: string[]
  docs?: Record<string, string>
  signatures?: Record<string, string>
  references?: string[]
  imports: Record<string, string[]>
}

const cases: Expected[] = [
  {
    file: 'typescript.ts',
    definitions: [
      'constant MAX_RETRIES',
      'enum Status',
      'type UserId',
      'interface UserStore',
      'method UserStore.get',
      'method UserStore.put',
      'interface User',
      'module Validation',
      'function Validation.isUserId',
      'class MemoryUserStore',
      'method MemoryUserStore.constructor',
      'method MemoryUserStore.get',
      'method MemoryUserStore.put',
      'class Shape',
      'method Shape.area',
      'function loadUsers',
      'function formatUser',
      'function helper',
    ],
    docs: {
      MemoryUserStore: 'Keeps users in memory.\nGood for tests.',
      'MemoryUserStore.get': 'Looks a user up by id.',
    },
    signatures: {
      loadUsers: 'export async function loadUsers(file: string, store: UserStore): Promise<number>',
      MemoryUserStore: 'export class MemoryUserStore implements UserStore',
    },
    references: ['call:readFile', 'call:isUserId', 'type:UserStore', 'type:TypeError', 'type:Promise'],
    imports: { 'node:fs/promises': ['readFile'], 'node:path': ['path'], './logger': ['Logger'] },
  },
  {
    file: 'tsx.tsx',
    definitions: [
      'interface CounterProps',
      'type Theme',
      'constant DEFAULT_STEP',
      'function Counter',
      'function Badge',
      'class ErrorBoundary',
      'method ErrorBoundary.getDerivedStateFromError',
      'method ErrorBoundary.render',
    ],
    docs: { Counter: 'A counter with a button.' },
    references: ['call:useState', 'type:CounterProps'],
    imports: { react: ['React', 'useState'], './button': ['Button'] },
  },
  {
    file: 'javascript.js',
    definitions: [
      'constant DEFAULT_PORT',
      'class JobQueue',
      'method JobQueue.constructor',
      'method JobQueue.push',
      'method JobQueue.#drain',
      'method JobQueue.size',
      'function runJob',
      'function readConfig',
      'function startServer',
    ],
    docs: {
      'JobQueue.push': 'Adds a job and starts it when a slot frees up.',
      JobQueue: 'A tiny job queue.',
    },
    references: ['type:EventEmitter', 'call:runJob', 'type:JobQueue', 'call:readFileSync'],
    imports: { 'node:events': ['EventEmitter'], 'node:fs': [] },
  },
  {
    file: 'python.py',
    definitions: [
      'constant MAX_ITEMS',
      'class Item',
      'method Item.total',
      'method Item.empty',
      'class Inventory',
      'method Inventory.__init__',
      'method Inventory.add',
      'method Inventory.save',
      'class Inventory.Error',
      'function load',
      'function load.parse',
    ],
    docs: {
      Item: 'An item in stock.',
      'Item.total': 'Returns the value of the stock.',
      MAX_ITEMS: 'The most items an inventory holds.',
    },
    signatures: { 'Inventory.save': 'async def save(self) -> None:' },
    references: ['call:Inventory', 'call:dataclass', 'type:Exception', 'call:parse', 'type:Item'],
    imports: { os: [], json: ['j'], dataclasses: ['dataclass', 'field'], typing: ['Optional'] },
  },
  {
    file: 'go.go',
    definitions: [
      'module cache',
      'constant DefaultTTL',
      'interface Store',
      'method Store.Get',
      'method Store.Set',
      'class Cache',
      'class entry',
      'type Key',
      'function New',
      'method Cache.Get',
      'method Cache.Set',
    ],
    docs: {
      'Cache.Get': 'Get returns the value for key.',
      Cache: 'Cache is an in-memory store with expiry.',
    },
    signatures: {
      Cache: 'type Cache struct {',
      'Cache.Get': 'func (c *Cache) Get(key string) (string, error)',
    },
    references: ['call:Lock', 'call:make', 'type:entry'],
    imports: { errors: [], sync: [], time: [] },
  },
  {
    file: 'rust.rs',
    definitions: [
      'constant MAX_CONNECTIONS',
      'constant GREETING',
      'class Connection',
      'enum PoolError',
      'type Result',
      'interface Resource',
      'method Resource.reset',
      'method Resource.is_healthy',
      'method Connection.open',
      'method Connection.reset',
      'method PoolError.fmt',
      'module pool',
      'class pool.Pool',
      'function pool.acquire',
      'function log',
      'function main',
    ],
    docs: { Connection: 'A connection to a database.', 'Connection.open': 'Opens a new connection.' },
    references: ['call:open', 'call:println', 'type:Formatter', 'type:PoolError'],
    imports: {
      'std::collections::HashMap': ['HashMap'],
      'std::fmt::{self, Display}': ['Display'],
      'super::*': [],
    },
  },
  {
    file: 'java.java',
    definitions: [
      'module com.example.orders',
      'class OrderBook',
      'constant OrderBook.MAX_ORDERS',
      'method OrderBook.OrderBook',
      'method OrderBook.add',
      'method OrderBook.count',
      'class OrderBook.Order',
      'method Order.isEmpty',
      'enum OrderBook.Side',
      'method Side.opposite',
      'interface Matcher',
      'method Matcher.match',
      'interface Audited',
    ],
    docs: { OrderBook: 'Keeps track of orders.', 'OrderBook.add': 'Adds an order.' },
    references: ['call:requireNonNull', 'type:IllegalStateException', 'type:ArrayList'],
    imports: { 'java.util.ArrayList': [], 'java.util.List': [], 'java.util.Objects.requireNonNull': [] },
  },
  {
    file: 'c.c',
    definitions: [
      'constant MAX_LEN',
      'class node',
      'type node_t',
      'enum color',
      'type size_kind',
      'constant default_capacity',
      'class number',
      'function node_new',
      'function list_length',
      'function list_length',
      'function main',
    ],
    docs: { node: 'A node of a linked list.', node_new: 'Allocates a node.' },
    references: ['call:malloc', 'call:list_length', 'type:node_t'],
    imports: { 'stdio.h': [], 'stdlib.h': [], 'list.h': [] },
  },
  {
    file: 'cpp.cpp',
    definitions: [
      'module geometry',
      'constant geometry.kPi',
      'class geometry.Shape',
      'method Shape.~Shape',
      'method Shape.area',
      'method Shape.name',
      'class geometry.Circle',
      'method Circle.Circle',
      'method Circle.area',
      'method Circle.area',
      'class geometry.Point',
      'enum geometry.Unit',
      'type geometry.Polygon',
      'function geometry.largest',
      'function main',
    ],
    docs: { Shape: 'Something with an area.', kPi: 'The circle constant.' },
    signatures: { 'Circle.area': 'double area() const override;' },
    references: ['type:Shape', 'call:area', 'type:Point'],
    imports: { string: [], vector: [], 'shape.hpp': [] },
  },
  {
    file: 'csharp.cs',
    definitions: [
      'module Shop.Billing',
      'interface Shop.Billing.IPaymentMethod',
      'method IPaymentMethod.Charge',
      'enum Shop.Billing.Currency',
      'type Shop.Billing.Charged',
      'class Shop.Billing.CardPayment',
      'constant CardPayment.MaxAmount',
      'method CardPayment.CardPayment',
      'method CardPayment.Charge',
      'class Shop.Billing.Money',
      'class Shop.Billing.Invoice',
      'class Shop.Billing.Fees',
      'method Fees.Apply',
    ],
    docs: { CardPayment: '<summary>Charges a card.</summary>' },
    references: ['type:IPaymentMethod', 'call:Round', 'call:Add'],
    imports: { System: [], 'System.Collections.Generic': [], 'System.Math': [] },
  },
  {
    file: 'ruby.rb',
    definitions: [
      'constant PAGE_SIZE',
      'module Paginated',
      'method Paginated.page',
      'class Article',
      'method Article.initialize',
      'method Article.to_json',
      'method Article.find',
      'method Article.published?',
      'method render_all',
    ],
    docs: { 'Article.to_json': 'Renders the article as JSON.', Paginated: 'Helpers shared by models.' },
    references: ['type:Record', 'call:generate', 'call:fetch'],
    imports: { json: [], store: [] },
  },
  {
    file: 'php.php',
    definitions: [
      'module App\\Billing',
      'constant DEFAULT_CURRENCY',
      'interface Chargeable',
      'method Chargeable.charge',
      'class LogsCharges',
      'method LogsCharges.logCharge',
      'enum Plan',
      'class InvoiceCharger',
      'constant InvoiceCharger.MAX_CENTS',
      'method InvoiceCharger.__construct',
      'method InvoiceCharger.charge',
      'function format_amount',
    ],
    docs: { InvoiceCharger: 'Charges invoices.', Chargeable: 'Something that can be charged.' },
    references: ['call:logCharge', 'call:format_amount', 'type:Chargeable'],
    imports: { 'App\\Models\\User': [], 'Psr\\Log\\LoggerInterface': ['Logger'] },
  },
  {
    file: 'kotlin.kt',
    definitions: [
      'module com.example.weather',
      'constant POLL_INTERVAL',
      'class Reading',
      'method Reading.fahrenheit',
      'interface Sensor',
      'method Sensor.read',
      'enum Trend',
      'type Readings',
      'class Registry',
      'method Registry.register',
      'class Station',
      'method Station.poll',
      'method Station.trend',
      'function computeTrend',
    ],
    docs: {
      'Station.poll': 'Polls the sensor forever.',
      POLL_INTERVAL: 'How often readings are taken, in ms.',
    },
    references: ['call:computeTrend', 'call:delay', 'type:Sensor'],
    imports: { 'kotlinx.coroutines.delay': [], 'java.time.Instant': [] },
  },
  {
    file: 'swift.swift',
    definitions: [
      'constant maxItems',
      'interface Priced',
      'method Priced.discounted',
      'class CartItem',
      'method CartItem.discounted',
      'enum PaymentState',
      'type ItemList',
      'class Cart',
      'method Cart.init',
      'method Cart.add',
      'method Cart.clear',
      'enum CartError',
      'function checkout',
    ],
    docs: { Cart: 'A shopping cart.', maxItems: 'The most items a cart holds.' },
    references: ['call:append', 'type:CartItem', 'type:PaymentState'],
    imports: { Foundation: [], UIKit: [] },
  },
  {
    file: 'scala.scala',
    definitions: [
      'module shop.catalog',
      'interface Product',
      'method Product.price',
      'method Product.describe',
      'class Book',
      'class Catalog',
      'constant Catalog.MaxProducts',
      'type Catalog.Index',
      'method Catalog.empty',
      'class Catalog',
      'method Catalog.add',
      'method Catalog.find',
      'enum Category',
      'function cheapest',
    ],
    docs: { Book: 'A book.', Product: 'Something for sale.' },
    references: ['call:require', 'call:minByOption', 'type:Product'],
    imports: { 'scala.collection.mutable': [], 'scala.concurrent.{Future, ExecutionContext}': [] },
  },
  {
    file: 'bash.sh',
    definitions: [
      'constant BACKUP_DIR',
      'function log',
      'function backup_database',
      'function cleanup',
      'function main',
    ],
    docs: { log: 'Prints a timestamped message.', BACKUP_DIR: 'Where backups go.' },
    references: ['call:pg_dump', 'call:backup_database', 'call:log'],
    imports: { './lib/common.sh': [], '$HOME/.profile': [] },
  },
  {
    file: 'lua.lua',
    definitions: [
      'constant MAX_ENTRIES',
      'function Cache.new',
      'method Cache.get',
      'method Cache.set',
      'function dump',
      'function save',
      'function encode',
    ],
    docs: { 'Cache.new': 'Makes an empty cache.', MAX_ENTRIES: 'The most entries a cache keeps.' },
    references: ['call:setmetatable', 'call:dump', 'call:write_file'],
    imports: { json: [], 'lib.util': [] },
  },
  {
    file: 'haskell.hs',
    definitions: [
      'module Data.Queue',
      'class Queue',
      'class Priority',
      'type Size',
      'interface Sized',
      'method Sized.size',
      'function empty',
      'function push',
      'function pop',
      'function maxSize',
    ],
    docs: {
      push: 'Adds an item at the back.',
      Priority: 'Priority of an item.',
      Sized: 'Things that can be measured.',
    },
    signatures: { pop: 'pop :: Queue a -> Maybe (a, Queue a)' },
    references: ['call:reverse', 'call:fromMaybe', 'type:Queue'],
    imports: { 'Data.List': [], 'Data.Maybe': ['fromMaybe'] },
  },
  {
    file: 'elixir.ex',
    definitions: [
      'module Shop.Cart',
      'function Shop.Cart.new',
      'function Shop.Cart.add',
      'function Shop.Cart.total',
      'function Shop.Cart.validate',
      'function Shop.Cart.with_cart',
      'module Shop.Priced',
      'function Shop.Priced.price',
    ],
    docs: {
      'Shop.Cart': 'A shopping cart.',
      'Shop.Cart.new': 'Makes an empty cart.',
      'Shop.Cart.add': 'Adds an item to the cart.',
    },
    references: ['call:debug', 'call:sum', 'call:length'],
    imports: { 'Shop.{Item, Pricing}': [], Enum: [], Logger: [] },
  },
  {
    file: 'dart.dart',
    definitions: [
      'constant requestTimeout',
      'class Resource',
      'method Resource.url',
      'method Resource.fetch',
      'enum Method',
      'type Headers',
      'class Endpoint',
      'method Endpoint.Endpoint',
      'method Endpoint.fetch',
      'method Endpoint.local',
      'class Retrying',
      'method Retrying.attempts',
      'method Endpoint.describe',
      'function main',
    ],
    docs: { Endpoint: 'A JSON endpoint.', 'Endpoint.fetch': 'Fetches the body.' },
    references: ['call:fetch', 'type:Resource', 'call:timeout'],
    imports: { 'dart:async': [], 'package:http/http.dart': ['http'] },
  },
  {
    file: 'zig.zig',
    definitions: [
      'constant mem',
      'constant max_len',
      'class Buffer',
      'method Buffer.init',
      'method Buffer.append',
      'enum Color',
      'class Value',
      'type Error',
      'function helper',
      'function main',
      'function append',
    ],
    docs: { Buffer: 'A growable byte buffer.', 'Buffer.init': 'Makes an empty buffer.' },
    references: ['call:helper', 'call:append', 'call:init'],
    imports: { std: [] },
  },
  {
    file: 'hcl.tf',
    definitions: [
      'class aws',
      'constant region',
      'constant name',
      'constant tags',
      'class logs',
      'module vpc',
      'constant bucket_arn',
    ],
    docs: { region: 'The region everything runs in.' },
    signatures: { logs: 'resource "aws_s3_bucket" "logs" {' },
    references: ['type:region', 'call:merge', 'type:logs', 'call:cidrsubnet'],
    imports: { './modules/vpc': [] },
  },
  {
    file: 'nix.nix',
    definitions: ['constant version', 'function mkName'],
    references: ['call:mkDerivation', 'call:fetchurl', 'call:mkName'],
    imports: { nixpkgs: [], './helpers.nix': [] },
  },
  {
    file: 'gleam.gleam',
    definitions: [
      'class Status',
      'class Order',
      'function total',
      'function describe',
      'function large',
      'function main',
    ],
    signatures: { total: 'pub fn total(order: Order) -> Int {' },
    references: ['call:fold', 'call:filter', 'call:total', 'type:Order'],
    imports: { 'gleam/int': [], 'gleam/io': [], 'gleam/list': [], 'gleam/string': [] },
  },
  {
    file: 'elm.elm',
    definitions: [
      'module Main',
      'type Model',
      'class Msg',
      'function init',
      'function update',
      'function describe',
      'function view',
      'function main',
    ],
    signatures: { update: 'update : Msg -> Model -> Model' },
    references: ['call:fromInt', 'call:describe', 'type:Model'],
    imports: { Browser: [], Html: ['Html', 'button', 'div', 'text'], 'Html.Events': ['onClick'] },
  },
  {
    file: 'clojure.clj',
    definitions: [
      'module shop.orders',
      'class Order',
      'interface Priced',
      'method Priced.price',
      'function describe',
      'function large?',
      'function ship',
      'constant orders',
      'function summary',
    ],
    references: ['call:reduce', 'call:price', 'call:summary'],
    imports: { 'clojure.string': [], 'clojure.set': ['union'] },
  },
  {
    file: 'r.r',
    definitions: [
      'constant MAX_ITEMS',
      'function total',
      'function total.rounded',
      'function square',
      'class Customer',
      'class Order',
      'function summarise',
    ],
    docs: {
      MAX_ITEMS: 'The most items an order may hold.',
      total: "Sums the amounts of an order's items.\n\n@param order a list with an `items` data frame",
    },
    references: ['call:rounded', 'call:median', 'call:vapply'],
    imports: { R6: [], jsonlite: [], 'helpers.R': [] },
  },
  {
    file: 'perl.pm',
    definitions: [
      'module Shop::Cart',
      'constant MAX_ITEMS',
      'function new',
      'function add',
      'function total',
      'function Shop::Cart::Item::label',
    ],
    docs: { new: 'Makes an empty cart.' },
    references: ['call:bless', 'call:sum', 'call:total', 'call:Carp::croak'],
    imports: { 'List::Util': [], Carp: [] },
  },
]

function key(definition: { name: string; enclosing?: string }): string {
  return definition.enclosing === undefined ? definition.name : `${definition.enclosing}.${definition.name}`
}

async function symbolsOf(file: string): Promise<{ symbols: CodeSymbols; diagnostics: number }> {
  const code = readFileSync(new URL(`./fixtures/symbols/${file}`, import.meta.url), 'utf8')
  using parsed = await parseCode(code, { filename: file })
  const symbols = parsed.symbols()
  // the faster definitions-only query finds the same definitions and imports
  const lean = parsed.symbols({ references: false })
  expect(lean.definitions).toEqual(symbols.definitions)
  expect(lean.imports).toEqual(symbols.imports)
  expect(lean.references).toEqual([])
  expect(parsed.symbols({ docs: false }).definitions.every((d) => d.doc === undefined)).toBe(true)
  return { symbols, diagnostics: parsed.diagnostics.length }
}

describe('symbols on real code in every programming language', () => {
  it.each(cases)(
    '$file',
    async (expected) => {
      const { symbols, diagnostics } = await symbolsOf(expected.file)
      expect(diagnostics).toBe(0)
      const found = symbols.definitions.map((definition) => `${definition.kind} ${key(definition)}`)
      expect(found.sort()).toEqual([...expected.definitions].sort())

      for (const [name, doc] of Object.entries(expected.docs ?? {})) {
        const definition = symbols.definitions.find((d) => key(d) === name || d.name === name)
        expect(definition?.doc, `doc of ${name}`).toBe(doc)
      }
      for (const [name, signature] of Object.entries(expected.signatures ?? {})) {
        const definition = symbols.definitions.find((d) => key(d) === name || d.name === name)
        expect(definition?.signature, `signature of ${name}`).toBe(signature)
      }
      const references = new Set(symbols.references.map((r) => `${r.kind}:${r.name}`))
      for (const reference of expected.references ?? []) expect(references, reference).toContain(reference)
      // a name a definition declares is never also reported as a reference to itself
      for (const definition of symbols.definitions) {
        expect(symbols.references.some((r) => r.range.startIndex === definition.nameRange.startIndex)).toBe(
          false,
        )
      }

      const imports = Object.fromEntries(symbols.imports.map((i) => [i.source, i.names]))
      expect(imports).toEqual(expected.imports)

      // ranges are consistent: 1-based lines, the name inside the definition, sorted by start
      let previous = -1
      for (const definition of symbols.definitions) {
        expect(definition.range.startLine).toBeGreaterThanOrEqual(1)
        expect(definition.nameRange.startIndex).toBeGreaterThanOrEqual(definition.range.startIndex)
        expect(definition.nameRange.endIndex).toBeLessThanOrEqual(definition.range.endIndex)
        expect(definition.range.startIndex).toBeGreaterThanOrEqual(previous)
        previous = definition.range.startIndex
      }
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

describe('symbols in edge cases', () => {
  it(
    'C++: functions returning pointers and references, out-of-line methods, concepts; no function pointers or locals',
    async () => {
      const code = [
        'class Widget {',
        ' public:',
        '  const int& get() const;',
        '  int* p();',
        '  int (*callback)(int);',
        '};',
        'const int& Widget::get() const { static const int cached = 1; return cached; }',
        'int* Widget::p() { return nullptr; }',
        'char** names(int n);',
        'template <typename T> concept Addable = requires(T a) { a + a; };',
      ].join('\n')
      using parsed = await parseCode(code, { language: 'cpp' })
      expect(parsed.diagnostics).toEqual([])
      const found = parsed
        .symbols()
        .definitions.map((d) => `${d.kind} ${d.enclosing ? `${d.enclosing}.` : ''}${d.name}`)
      expect(found).toEqual([
        'class Widget',
        'method Widget.get',
        'method Widget.p',
        'method Widget.get',
        'method Widget.p',
        'function names',
        'interface Addable',
      ])
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    'Python 3.12 type aliases, generic or not, at module level and in a class',
    async () => {
      using parsed = await parseCode(
        'type Pair[T] = tuple[T, T]\ntype Alias = int\nclass A:\n    type Inner = str\n',
        {
          language: 'python',
        },
      )
      expect(
        parsed.symbols().definitions.map((d) => `${d.kind} ${d.enclosing ? `${d.enclosing}.` : ''}${d.name}`),
      ).toEqual(['type Pair', 'type Alias', 'class A', 'type A.Inner'])
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    'names the definition a reference sits in',
    async () => {
      const { symbols } = await symbolsOf('typescript.ts')
      expect(symbols.references.find((r) => r.name === 'readFile' && r.kind === 'call')).toMatchObject({
        enclosing: 'loadUsers',
        range: { startLine: 60 },
      })
      expect(symbols.references.find((r) => r.name === 'debug')?.enclosing).toBe('get')
      // inside an interface's method signature, the signature is the innermost definition
      expect(symbols.references.find((r) => r.name === 'UserId')?.enclosing).toBe('get')
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    'still finds the definitions of code with syntax errors, and none in an empty file',
    async () => {
      using parsed = await parseCode(
        'export class Broken {\n  ok(): number { return 1 }\n  bad( {\n}\nfunction after() {}\n',
        {
          language: 'typescript',
        },
      )
      expect(parsed.diagnostics.length).toBeGreaterThan(0)
      // tree-sitter recovers around the error: what it still recognises is reported
      const names = parsed.symbols().definitions.map((d) => d.name)
      expect(names).toContain('ok')
      using empty = await parseCode('', { language: 'rust' })
      expect(empty.symbols()).toEqual({ definitions: [], references: [], imports: [] })
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    'cuts a signature at 240 characters and keeps multi-line headers on one line',
    async () => {
      const parameters = Array.from({ length: 40 }, (_, i) => `parameter${i}: number`).join(',\n  ')
      using parsed = await parseCode(`function long(\n  ${parameters}\n): void {}\n`, {
        language: 'typescript',
      })
      const [definition] = parsed.symbols().definitions
      expect(definition?.signature.length).toBe(240)
      expect(definition?.signature.endsWith('…')).toBe(true)
      expect(definition?.signature.startsWith('function long( parameter0: number, parameter1: number,')).toBe(
        true,
      )
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

describe('symbol ranges', () => {
  it(
    'agree with tree-sitter positions, with columns in UTF-16 code units',
    async () => {
      const code = 'const s = "é😀"; function after() {}\n/* ü */ class K { m() { return "😀" } }\n'
      using parsed = await parseCode(code, { language: 'javascript' })
      const { definitions } = parsed.symbols()
      expect(definitions.map((d) => d.name)).toEqual(['s', 'after', 'K', 'm'])
      for (const definition of definitions) {
        const node = parsed.tree.rootNode.descendantForIndex(
          definition.nameRange.startIndex,
          definition.nameRange.endIndex,
        )
        expect(node?.text).toBe(definition.name)
        expect(definition.nameRange.startLine).toBe((node?.startPosition.row ?? -1) + 1)
        expect(definition.nameRange.startColumn).toBe((node?.startPosition.column ?? -1) + 1)
        expect(code.slice(definition.nameRange.startIndex, definition.nameRange.endIndex)).toBe(
          definition.name,
        )
      }
      expect(definitions[1]?.nameRange).toMatchObject({ startLine: 1, startColumn: 27, endColumn: 32 })
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

describe('C# file-scoped namespaces', () => {
  it(
    'are modules enclosing what follows them',
    async () => {
      using parsed = await parseCode(
        'namespace Shop.Billing;\n\npublic class Invoice\n{\n    public void Pay() { }\n}\n',
        {
          language: 'csharp',
        },
      )
      expect(parsed.diagnostics).toEqual([])
      const definitions = parsed.symbols().definitions.map((d) => `${d.kind} ${d.name}`)
      expect(definitions).toEqual(['module Shop.Billing', 'class Invoice', 'method Pay'])
    },
    FIRST_USE_TIMEOUT_MS,
  )
})
