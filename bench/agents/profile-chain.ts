// Profiles @ql/agents on a 10,000-node chain: `node --cpu-prof ... agents/profile-chain.ts`, then
// read the .cpuprofile (top self time is printed by agents/top-self.mjs).
import { qlChain } from './graphs'

const run = qlChain(10_000)
for (let i = 0; i < 20; i++) await run('p')
