// `dataplan scan` over a generated 2,000-file TypeScript/React project; prints files/s.
// The project looks like an app: most modules never touch analytics; some call the SDK directly with
// constants from a shared module, some call wrappers, a few components are rendered through JSX.
// Usage: npm run build && node bench/scan.mjs [files]       (set BENCH_ALL_SDK=1 to make every file reach the SDK)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const FILES = Number(process.argv[2] ?? 2000);
const ALL_SDK = process.env.BENCH_ALL_SDK === '1';
const ROOT = join(import.meta.dirname, '.work', 'scan-project');

const EVENTS = ['Navbar Click', 'Search Performed', 'Newsletter Signup', 'Product Shared', 'Coupon Applied', 'Review Submitted', 'Promo Clicked'];
const SCREENS = ['Home', 'Cart', 'Checkout', 'Product Detail', 'Order History'];

function generate() {
  rmSync(ROOT, { recursive: true, force: true });
  mkdirSync(join(ROOT, 'src', 'analytics'), { recursive: true });
  writeFileSync(join(ROOT, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, jsx: 'react-jsx', allowJs: true, baseUrl: '.', paths: { '@/*': ['src/*'] } }, include: ['src'] }, null, 2));
  writeFileSync(join(ROOT, 'src', 'analytics', 'names.ts'), [
    `export const EVENTS = { ${EVENTS.map((e, i) => `E${i}: '${e}'`).join(', ')} } as const;`,
    `export enum Screens { ${SCREENS.map((s, i) => `S${i} = '${s}'`).join(', ')} }`,
  ].join('\n'));
  mkdirSync(join(ROOT, 'src', 'shared'), { recursive: true });
  writeFileSync(join(ROOT, 'src', 'shared', 'format.ts'), 'export function formatPrice(n: number): string {\n  return `$${n.toFixed(2)}`;\n}\n');
  writeFileSync(join(ROOT, 'src', 'analytics', 'track.ts'), [
    "import mParticle from '@mparticle/web-sdk';",
    "import { EVENTS } from './names';",
    'export function trackNav(label: string, position?: number) {',
    '  mParticle.logEvent(EVENTS.E0, mParticle.EventType.Navigation, { label, position });',
    '}',
    'export function trackScreen(name: string, attrs: Record<string, string | number> = {}) {',
    '  mParticle.logPageView(name, attrs);',
    '}',
  ].join('\n'));
  let kinds = { direct: 0, wrapper: 0, component: 0, plain: 0 };
  for (let i = 0; i < FILES; i++) {
    const dir = join(ROOT, 'src', `feature${i % 40}`);
    mkdirSync(dir, { recursive: true });
    const r = ALL_SDK ? i % 3 : i % 10;
    const body = [];
    for (let j = 0; j < 12; j++) {
      body.push(`export function helper${i}_${j}(xs: number[], k: number): number {`, '  let total = 0;', `  for (const x of xs) total += x > k ? x * ${j + 1} : x - k;`, '  return Math.round(total / Math.max(1, xs.length));', '}');
    }
    let lines;
    if (r === 0) {
      kinds.direct++;
      lines = [
        "import mParticle from '@mparticle/web-sdk';", "import { EVENTS, Screens } from '@/analytics/names';", ...body,
        `export function onAction${i}(query: string) {`,
        `  mParticle.logEvent(EVENTS.E${i % EVENTS.length}, mParticle.EventType.${['Navigation', 'Search', 'UserPreference', 'Social', 'Transaction', 'UserContent', 'Navigation'][i % EVENTS.length]}, { query, source: 'footer', position: ${i % 20} });`,
        `  mParticle.logPageView(Screens.S${i % SCREENS.length}, { item_count: ${i % 7} });`,
        '}',
      ];
    } else if (r === 1) {
      kinds.wrapper++;
      lines = [
        "import { trackNav, trackScreen } from '../analytics/track';", ...body,
        `export function onNav${i}() {`, `  trackNav('${['Shop', 'Deals', 'Help', 'Blog'][i % 4]}', ${i % 20});`, `  trackScreen('${SCREENS[i % SCREENS.length]}');`, '}',
      ];
    } else if (r === 2) {
      kinds.component++;
      const ext = 'tsx';
      writeFileSync(join(dir, `Widget${i}.${ext}`), [
        "import mParticle from '@mparticle/web-sdk';", ...body,
        `export function Widget${i}({ sku }: { sku: string }) {`,
        '  const p = mParticle.eCommerce.createProduct(`Item ${sku}`, sku, 10, 1);',
        '  return <button onClick={() => mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToCart, [p], { source: \'pdp\' })}>Add</button>;',
        '}',
        `export const Used${i} = () => <Widget${i} sku="SKU-00001" />;`,
      ].join('\n'));
      continue;
    } else {
      kinds.plain++;
      // Plain modules import shared helpers and the first module of their folder, as app code does.
      const near = i % 40;
      lines = near === i
        ? ["import { formatPrice } from '@/shared/format';", ...body, `export const value${i} = formatPrice(${i % 5});`]
        : ["import { formatPrice } from '@/shared/format';", `import { helper${near}_0 } from './${near % 10 === 2 ? `Widget${near}` : `util${near}`}';`, ...body, `export const value${i} = formatPrice(helper${near}_0([1, 2, 3], ${i % 5}));`];
    }
    writeFileSync(join(dir, `util${i}.ts`), lines.join('\n'));
  }
  return kinds;
}

const kinds = generate();
const { loadPlan } = await import('../dist/validate/index.js');
const { loadProjectFiles, scanCoverage } = await import('../dist/scan/index.js');
const plan = loadPlan(join(import.meta.dirname, '..', 'plans', 'acme_web_shop.json'));

const t0 = performance.now();
const project = loadProjectFiles(ROOT);
const t1 = performance.now();
const r = scanCoverage(plan, project.files, { root: project.root, configs: project.configs });
const t2 = performance.now();
const s = r.summary;
const secs = (t2 - t0) / 1000;
console.log(`project: ${project.files.length} files (${kinds.direct} call the SDK, ${kinds.wrapper} call wrappers, ${kinds.component} JSX components, ${kinds.plain} plain modules)${ALL_SDK ? ' [BENCH_ALL_SDK]' : ''}`);
console.log(`load (ts-morph, tsconfig): ${(t1 - t0).toFixed(0)} ms`);
console.log(`scan: ${s.files_parsed} files parsed by the recognizer, ${s.calls} calls, ${s.covered}/${s.checked} data points covered, ${s.unplanned} unplanned, ${s.violations} attribute problems`);
console.log(`total: ${secs.toFixed(2)} s = ${Math.round(project.files.length / secs)} files/s (${Math.round(s.files_parsed / ((t2 - t1) / 1000))} parsed files/s)`);
console.log(`peak RSS: ${Math.round(process.memoryUsage().rss / 1048576)} MiB`);
