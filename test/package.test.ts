import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';

/**
 * What `npm publish` would ship: the package is built in a copy of the repository (the repository's own dist/ is left
 * alone) and listed by `npm pack --dry-run --json`. Only the compiled nodes and credentials, their icons and codex
 * files may be in it (npm adds package.json, README and LICENSE itself), and every file that package.json's n8n
 * section names, and every icon and codex file n8n reads beside them, must be.
 */

const ROOT = join(__dirname, '..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	scripts: Record<string, string>;
	n8n: { nodes: string[]; credentials: string[] };
};

/** The build, as `npm run build` runs it; tsc without its type check, which `npm test` has just done. */
const BUILD = 'tsc -p tsconfig.json && gulp build:assets';
/** The repository's files as a clone has them (tracked, or new and not ignored): a build sees what it would see. */
function repositoryFiles(): string[] {
	const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
	return listed.split('\0').filter((path) => path && path !== 'node_modules');
}

let dir: string;
let packed: string[];

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'teams-call-pack-'));
	for (const path of repositoryFiles()) {
		mkdirSync(dirname(join(dir, path)), { recursive: true });
		cpSync(join(ROOT, path), join(dir, path));
	}
	symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
	const bin = (name: string, file: string): string => join(ROOT, 'node_modules', name, file);
	execFileSync(process.execPath, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json', '--noCheck'], { cwd: dir, stdio: 'pipe' });
	execFileSync(process.execPath, [bin('gulp', 'bin/gulp.js'), 'build:assets'], { cwd: dir, stdio: 'pipe' });
	const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: dir, encoding: 'utf8' })) as Array<{
		files: Array<{ path: string }>;
	}>;
	packed = pack.files.map((file) => file.path).sort();
}, 180_000);

afterAll(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
});

it('builds as package.json says (this test copies its build)', () => {
	expect(PACKAGE.scripts.build).toBe(BUILD);
});

it('ships only dist: compiled nodes and credentials, icons and codex files', () => {
	const allowed = /^dist\/(nodes|credentials)\/.+\.(js|d\.ts|js\.map|node\.json)$|^dist\/icons\/[^/]+\.(svg|png)$/;
	const outside = packed.filter((path) => !['package.json', 'README.md', 'LICENSE'].includes(path) && !allowed.test(path));
	expect(outside).toEqual([]);
	const unwanted = packed.filter((path) => /(^|\/)(test|tests|emulator|demo|bench|scripts|examples|src)\//.test(path) || /(?<!\.d)\.ts$/.test(path));
	expect(unwanted).toEqual([]);
	expect(packed.filter((path) => path.endsWith('.js')).length).toBeGreaterThan(10);
});

it("holds every file package.json's n8n section names, with each node's codex and icons", () => {
	const named = [...PACKAGE.n8n.nodes, ...PACKAGE.n8n.credentials];
	expect(named.length).toBeGreaterThan(0);
	expect(named.filter((path) => !packed.includes(path))).toEqual([]);
	for (const nodeFile of PACKAGE.n8n.nodes) {
		expect(packed).toContain(nodeFile.replace(/\.js$/, '.json'));
	}
	const icons = named.flatMap((file) => iconsOf(file).map((icon) => posix.normalize(posix.join(posix.dirname(file), icon))));
	expect(icons.length).toBeGreaterThanOrEqual(2 * named.length);
	expect(icons.filter((icon) => !packed.includes(icon))).toEqual([]);
});

/** The `file:` icons (light and dark) a compiled node or credential declares. */
function iconsOf(file: string): string[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(join(dir, file)) as Record<string, new () => { description?: { icon?: unknown }; icon?: unknown }>;
	const instance = new (Object.values(exported)[0])();
	const icon = instance.description?.icon ?? instance.icon;
	const paths = typeof icon === 'string' ? [icon] : Object.values(icon as Record<string, string>);
	return paths.map((path) => path.replace(/^file:/, ''));
}
