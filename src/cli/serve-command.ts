/** `yibao serve`: the HTTP API and the web workbench on the embedded store (see src/api/README.md). */
import type { Command } from 'commander';
import { PACKAGE_ROOT } from '../api/app.ts';
import { TokenError } from '../api/auth.ts';
import { DEFAULT_WEB_DIR, DEMO_TOKENS, startServer } from '../api/server.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { defaultPolicyDir, loadPolicyDir } from '../policy/registry.ts';
import { CliError, EXIT, errorText, t } from './context.ts';
import type { GetContext } from './main.ts';
import { regionFor } from './region.ts';
import { buildWorkbench, WEB_SOURCES, workbenchSources, workbenchState } from './workbench-build.ts';

/** A token file of one's own, as the hint shows it (sha256 of each token, never the token). */
const OWN_TOKENS_EXAMPLE = {
  zh: `tokens:
  - name: 本市医保局
    role: agency
    sha256: …        # printf %s "令牌" | sha256sum
  - name: 某医院医保办
    role: institution
    institution: 机构编码
    sha256: …`,
  en: `tokens:
  - name: city insurance agency
    role: agency
    sha256: …        # printf %s "TOKEN" | sha256sum
  - name: hospital insurance office
    role: institution
    institution: INSTITUTION_CODE
    sha256: …`,
};

/**
 * What the server says once it listens: where the workbench and the API are; when the workbench is not built (and
 * cannot be built here), that only the API is served and what to run — one line.
 */
export function startedText(url: string, workbench: boolean, lang: 'zh' | 'en'): string {
  const api = `API: ${url}/api/openapi.json`;
  const stop = lang === 'zh' ? '（Ctrl-C 停止）' : '(Ctrl-C stops)';
  // zh takes the full-width colon after 工作台 (it read "工作台: http://…").
  if (workbench) return `${lang === 'zh' ? '工作台：' : 'workbench: '}${url}/   ${api}   ${stop}`;
  return `${api}   ${stop}\n${notBuiltText(url, lang)}`;
}

/** The one line that says the workbench is not built and what to run (serve could not build it). */
export function notBuiltText(url: string, lang: 'zh' | 'en', why?: string): string {
  return lang === 'zh'
    ? `工作台未构建（${url}/ 只有说明）${why ? `：${why}` : ''}；在 yibao 的目录（${PACKAGE_ROOT}）中运行 npm ci 和 npm run build:web，然后刷新 ${url}/`
    : `the workbench is not built (${url}/ shows only a note)${why ? `: ${why}` : ''}; run npm ci and npm run build:web in yibao's folder (${PACKAGE_ROOT}), then reload ${url}/`;
}

/** Serve's lines while it builds the workbench on its first start (or after its sources changed). */
export function buildingText(url: string, state: 'missing' | 'stale', lang: 'zh' | 'en'): string {
  const api = `API: ${url}/api/openapi.json`;
  const stop = lang === 'zh' ? '（Ctrl-C 停止）' : '(Ctrl-C stops)';
  const what =
    state === 'missing'
      ? lang === 'zh'
        ? '首次启动：正在构建工作台（约半分钟）…'
        : 'first start: building the workbench (about half a minute)…'
      : lang === 'zh'
        ? '工作台的源文件已更新：正在重新构建（约半分钟）…'
        : 'the workbench sources changed: building it again (about half a minute)…';
  return `${api}   ${stop}\n${what}`;
}

/** Build the workbench when it is missing or stale and the sources and tools are here; what serve then says. */
export async function ensureWorkbench(
  url: string,
  lang: 'zh' | 'en',
  out: (line: string) => void,
  webDir = DEFAULT_WEB_DIR,
  sources = WEB_SOURCES,
): Promise<void> {
  const state = workbenchState(webDir, sources);
  if (state === 'built') return out(startedText(url, true, lang));
  if (!workbenchSources(sources)) {
    if (state === 'stale') return out(startedText(url, true, lang));
    return out(startedText(url, false, lang));
  }
  out(buildingText(url, state, lang));
  try {
    await buildWorkbench(webDir, sources);
    out(`${lang === 'zh' ? '工作台：' : 'workbench: '}${url}/`);
  } catch (e) {
    // No Vite (a package installed without its devDependencies) or a folder it cannot write: say what to run. A
    // stale build still serves.
    const missingTool = (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    const why = missingTool
      ? lang === 'zh'
        ? '没有构建工具 vite'
        : 'the build tool vite is not installed'
      : (e as Error).message.split('\n')[0];
    if (state === 'stale')
      out(
        lang === 'zh'
          ? `工作台未能重新构建（${why}），仍用上次构建的：${url}/`
          : `the workbench could not be rebuilt (${why}); serving the previous build: ${url}/`,
      );
    else out(notBuiltText(url, lang, why));
  }
}

export function registerServeCommand(program: Command, getContext: GetContext): void {
  program
    .command('serve')
    .description('启动接口与工作台 / serve the HTTP API and the web workbench')
    .option('--port <n>', '端口 / port', '8787')
    .option('--host <addr>', '监听地址 / address to listen on', '127.0.0.1')
    .option('--tokens <file>', '访问令牌文件 / access token file (YAML)', process.env.YIBAO_TOKENS)
    .option(
      '--policies <dir>',
      '政策文件目录（默认：当前目录下的 policies/，没有则用 yibao 自带的）/ policy folder (default: ./policies when present, else the one shipped with yibao)',
      defaultPolicyDir(),
    )
    .option(
      '--region <code>',
      '政策地区（默认：政策文件目录中唯一的地区，否则 demo）/ policy region (default: the only region of the policy folder, else demo)',
    )
    .option(
      '--pack <path>',
      'DRG 分组方案（解释 DRG 病例；默认用各结算运行记录的方案）/ CHS-DRG scheme to explain DRG cases (default: the one each run recorded)',
    )
    .action(
      async (f: { port: string; host: string; tokens?: string; policies: string; region?: string; pack?: string }) => {
        const ctx = getContext();
        const port = Number(f.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new CliError(t(ctx, `端口不合规：${f.port}`, `bad port: ${f.port}`), EXIT.usage);
        }
        if (!f.tokens) {
          process.stderr.write(
            t(
              ctx,
              `注意：使用示范令牌 ${DEMO_TOKENS}（任何人都能读到）；正式使用请用 --tokens 指定自己的令牌文件\n`,
              `note: using the demo tokens ${DEMO_TOKENS} (anyone can read them); pass --tokens FILE for real use\n`,
            ),
          );
        }
        let server: Awaited<ReturnType<typeof startServer>>;
        try {
          server = await startServer({
            db: ctx.db,
            tokens: f.tokens ?? DEMO_TOKENS,
            port,
            host: f.host,
            policies: f.policies,
            region: regionFor(loadPolicyDir(f.policies, POLICY_KINDS), f.region, ctx.lang),
            ...(f.pack ? { pack: f.pack } : {}),
          });
        } catch (e) {
          // A store's error (missing, not a DuckDB file, locked by another process) in the reader's language only.
          if (!(e instanceof TokenError)) throw new CliError(errorText(e, ctx.lang), EXIT.badInput);
          // The demo tokens name the demo region's institutions: on a store of one's own they do not fit.
          const own =
            !f.tokens && e.code === 'TOKEN_UNKNOWN_INSTITUTION'
              ? t(
                  ctx,
                  `。示范令牌（${DEMO_TOKENS}）只适用于 yibao demo 的存储；请为本地区写一份令牌文件并用 --tokens 指定（格式同示范令牌文件）：
${OWN_TOKENS_EXAMPLE.zh}`,
                  `. The demo tokens (${DEMO_TOKENS}) fit yibao demo's store only; write a token file for your region and pass it with --tokens (same format as the demo file):
${OWN_TOKENS_EXAMPLE.en}`,
                )
              : '';
          throw new CliError(`${t(ctx, e.zh, e.en)}${own}`, EXIT.badInput);
        }
        await ensureWorkbench(server.url, ctx.lang, (line) => process.stdout.write(`${line}\n`));
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await server.close();
      },
    );
}
