import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { walkRepository } from '../src/repo-map/walk-repository'

/** Every file git would list: tracked or untracked, minus what the excludes leave out. */
function gitFiles(root: string): string[] {
  const home = join(root, '.git', 'no-home')
  const output = execFileSync('git', ['ls-files', '--others', '--cached', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
    // no user or system configuration: no global excludes file
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
  })
  return output.split('\0').filter((path) => path !== '')
}

async function walked(root: string, ignore?: string[]): Promise<string[]> {
  const paths: string[] = []
  for await (const path of walkRepository(root, ignore === undefined ? {} : { ignore })) paths.push(path)
  return paths
}

const sorted = (paths: string[]) => [...paths].sort()

describe('walkRepository lists what git lists', () => {
  let root: string

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ql-walk-'))
    const files: Record<string, string> = {
      '.gitignore': [
        '# logs, except one',
        '*.log',
        '!important.log',
        'build/',
        '/rootonly.txt',
        'dist',
        'docs/**/*.tmp',
        '**/cache/',
        'src/gen/*.js',
        'temp*/',
        '\\#literal.txt',
        'README.MD',
        'trailing-space.txt   ',
        '*.gen.ts',
        '!keep.gen.ts',
        '',
      ].join('\n'),
      'important.log': 'kept by a negation\n',
      'debug.log': 'ignored\n',
      'rootonly.txt': 'ignored: anchored to the root\n',
      'README.md': 'case matters: not ignored by README.MD\n',
      '#literal.txt': 'ignored through an escaped #\n',
      'trailing-space.txt': 'ignored: trailing spaces are trimmed\n',
      'build/out.js': 'ignored directory\n',
      // a negation inside an excluded directory cannot bring a file back (git never looks inside)
      'build/.gitignore': '!out.js\n',
      'dist/bundle.js': 'ignored: `dist` without a slash matches a directory too\n',
      'docs/guide/page.md': 'kept\n',
      'docs/guide/draft.tmp': 'ignored by docs/**/*.tmp\n',
      'docs/deep/er/x.tmp': 'ignored by docs/**/*.tmp\n',
      'src/app.ts': 'kept\n',
      'src/cache/data.json': 'ignored by **/cache/\n',
      'src/gen/a.js': 'ignored by src/gen/*.js\n',
      'src/gen/b.ts': 'kept\n',
      'src/gen/nested/c.js': 'kept: * does not cross /\n',
      'src/types.gen.ts': 'ignored\n',
      'src/keep.gen.ts': 'kept by a negation\n',
      'src/rootonly.txt': 'kept: /rootonly.txt is anchored\n',
      'temp1/x.ts': 'ignored by temp*/\n',
      'temp.ts': 'kept: temp*/ matches directories only\n',
      'sub/.gitignore': ['!keep.log', '*.txt', '!notes.txt', 'local/', '/anchored.js', ''].join('\n'),
      'sub/keep.log': 'kept: the nested .gitignore re-includes it\n',
      'sub/other.log': 'ignored by the root *.log\n',
      'sub/notes.txt': 'kept by the nested negation\n',
      'sub/todo.txt': 'ignored by the nested *.txt\n',
      'sub/anchored.js': 'ignored: anchored to sub/\n',
      'sub/local/x.ts': 'ignored directory\n',
      'sub/deeper/anchored.js': 'kept: /anchored.js is anchored to sub/\n',
      'sub/deeper/.gitignore': '!*.txt\nkeep.log\n',
      'sub/deeper/readme.txt': 'kept: the deepest .gitignore re-includes it\n',
      'sub/deeper/keep.log': 'ignored again by the deepest .gitignore\n',
      'sub/deeper/important.log': 'kept by the root negation\n',
      'local/x.ts': 'kept: local/ is only excluded under sub/\n',
      'secret.env': 'ignored by .git/info/exclude\n',
      'name with spaces.ts': 'kept\n',
    }
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(root, path, '..'), { recursive: true })
      await writeFile(join(root, path), content)
    }
    execFileSync('git', ['init', '-q'], { cwd: root })
    await writeFile(join(root, '.git', 'info', 'exclude'), 'secret.env\n')
  })

  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('with nested .gitignore files, negations, anchored and directory patterns and info/exclude', async () => {
    const git = gitFiles(root)
    // the fixture exercises what it claims to
    expect(git).toEqual(expect.arrayContaining(['sub/keep.log', 'sub/deeper/readme.txt', 'important.log']))
    expect(git).not.toContain('build/out.js')
    expect(sorted(await walked(root))).toEqual(sorted(git))
  })

  it('in a stable, sorted order within each directory', async () => {
    const first = await walked(root)
    expect(await walked(root)).toEqual(first)
    expect(first.indexOf('src/app.ts')).toBeLessThan(first.indexOf('src/keep.gen.ts'))
  })

  it('leaves out extra patterns on top of git’s, which no .gitignore can re-include', async () => {
    const paths = await walked(root, ['*.ts', 'docs/'])
    expect(paths.some((path) => path.endsWith('.ts'))).toBe(false)
    expect(paths.some((path) => path.startsWith('docs/'))).toBe(false)
    expect(paths).toContain('sub/keep.log')
  })
})

describe('walkRepository below the top of a repository', () => {
  it('applies the .gitignore files above the root and the repository excludes, as git does', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'ql-walk-sub-'))
    try {
      execFileSync('git', ['init', '-q'], { cwd: repo })
      const files: Record<string, string> = {
        '.gitignore': 'dist/\n*.log\n',
        'packages/.gitignore': 'coverage/\n!keep.log\n',
        '.git/info/exclude': 'secret.txt\n',
        'packages/app/src/index.ts': 'export {}\n',
        'packages/app/dist/index.js': 'ignored by the top .gitignore\n',
        'packages/app/coverage/lcov.info': 'ignored by packages/.gitignore\n',
        'packages/app/debug.log': 'ignored\n',
        'packages/app/keep.log': 're-included by packages/.gitignore\n',
        'packages/app/secret.txt': 'ignored by .git/info/exclude\n',
      }
      for (const [path, text] of Object.entries(files)) {
        await mkdir(join(repo, path, '..'), { recursive: true })
        await writeFile(join(repo, path), text)
      }
      const root = join(repo, 'packages', 'app')
      expect(sorted(await walked(root))).toEqual(sorted(gitFiles(root)))
      expect(sorted(await walked(root))).toEqual(['keep.log', 'src/index.ts'])
      // a root the repository ignores was chosen on purpose: it is listed on its own terms
      await mkdir(join(repo, 'node_modules', 'lib', 'dist'), { recursive: true })
      await writeFile(join(repo, '.gitignore'), 'dist/\n*.log\nnode_modules/\n')
      await writeFile(join(repo, 'node_modules', 'lib', 'index.js'), 'module.exports = 1\n')
      await writeFile(join(repo, 'node_modules', 'lib', 'dist', 'out.js'), 'built\n')
      expect(sorted(await walked(join(repo, 'node_modules', 'lib')))).toEqual(['dist/out.js', 'index.js'])
    } finally {
      await rm(repo, { recursive: true, force: true })
    }
  })
})
