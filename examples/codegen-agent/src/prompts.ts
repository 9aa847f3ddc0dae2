import type { GeneratedFile } from './generated-files'
import { type FileProblem, formatProblems } from './validate-files'

const FILE_FORMAT =
  'Answer with every file as a fenced code block whose info string is the language and then the ' +
  "file's path relative to the project root, for example:\n\n```ts src/index.ts\nexport const x = 1\n```\n\n" +
  'Write complete files, never placeholders or elided parts. Keep any notes outside the blocks short.'

/** The planner's instructions. */
export const PLAN_SYSTEM =
  'You are the planner of a code-generation agent. Reply with a short numbered plan: the files to ' +
  'create or change, each with its path and one line on what it holds, then one line on how the parts ' +
  'fit together. No code.'

/** The writer's instructions. */
export const WRITE_SYSTEM = `You are a careful senior engineer writing the code for a plan. ${FILE_FORMAT}`

/** The repairer's instructions. */
export const REPAIR_SYSTEM =
  'You are a careful senior engineer. A syntax checker found problems in files you wrote. Fix them ' +
  `without changing what the code does. Answer with the corrected files only, each complete. ${FILE_FORMAT}`

/** The task, and the repository map when there is one. */
export function taskPrompt(task: string, repoMap: string): string {
  const context =
    repoMap === ''
      ? ''
      : `\n\nThe existing repository (its most referenced definitions; use and extend them):\n\n${repoMap}`
  return `Task: ${task}${context}`
}

/** What the writer gets: the task, the map, the plan. */
export function writePrompt(task: string, repoMap: string, plan: string): string {
  return `${taskPrompt(task, repoMap)}\n\nPlan:\n${plan}\n\nWrite the files.`
}

/** What the repairer gets: the diagnostics and the files they are in. */
export function repairPrompt(
  task: string,
  files: readonly GeneratedFile[],
  problems: readonly FileProblem[],
): string {
  const broken = new Set(problems.map((problem) => problem.path))
  const sources = files
    .filter((file) => broken.has(file.path))
    .map((file) => `\`\`\`${fenceLanguage(file.path)} ${file.path}\n${file.content}\`\`\``)
    .join('\n\n')
  return (
    `Task: ${task}\n\nThe syntax checker reported:\n\n${formatProblems(problems)}\n\n` +
    (sources === '' ? '' : `The files as they are now:\n\n${sources}\n\n`) +
    'Answer with the corrected files.'
  )
}

function fenceLanguage(path: string): string {
  return /\.(\w+)$/.exec(path)?.[1] ?? ''
}
