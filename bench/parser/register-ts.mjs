// Lets Node 20 run the benchmark's TypeScript and @ql/parser's sources directly (Node 20 has no
// type stripping): `node --conditions=@ql/source --import ./parser/register-ts.mjs parser/run.ts`.
import { register } from 'node:module'

register('./ts-hooks.mjs', import.meta.url)
