/** `yibao init REGION`: a policy folder from the templates that loads, settles the asked method and explains itself. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { dipKind } from '../policy/kinds/dip.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { paymentMixKind } from '../policy/kinds/payment-mix.ts';
import { BUNDLED_POLICY_DIR, loadPolicyDir } from '../policy/registry.ts';
import { asciiPunctuationInZh } from '../report/zh-punctuation.ts';
import { CliError } from './context.ts';
import { initRegion, nextSteps, registerInitCommand } from './init-command.ts';
import { templateExampleWarning, templateNameWarning, templateSourceWarning } from './policy-commands.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-init-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('yibao init REGION', () => {
  it('writes payment-mix, dip, dip-settlement and qc for city01 2026 that the strict loader accepts, with history 2023–2025', () => {
    const out = join(tmp, 'city01');
    const files = initRegion({ region: 'city01', year: 2026, out, inpatient: 'dip' });
    expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual([
      'README.md',
      'dip-2026.yaml',
      'dip-settlement-2026.yaml',
      'payment-mix-2026.yaml',
      'qc-2026.yaml',
    ]);
    const set = loadPolicyDir(out, POLICY_KINDS);
    expect(set.regions('dip')).toEqual(['city01']);
    expect(set.resolveYear(dipKind, 'city01', 2026).values.historyYears.value.years).toEqual([2023, 2024, 2025]);
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    for (const f of ['dip-2026.yaml', 'dip-settlement-2026.yaml', 'payment-mix-2026.yaml', 'qc-2026.yaml'])
      expect(readme).toContain(f);
    expect(readme).toContain('决定什么');
    // It said "edit, check, settle": the ingest of the institutions and the lists (history years too) comes between.
    expect(readme).toContain('结算清单含历史年度 2023–2025 与 2026 年');
    expect(readme).toContain('the history years\n2023–2025 and 2026');
  });

  it('--inpatient drg names the shared settlement policy without DIP and lists DRG values to edit first, no DIP ones (walk3 #9)', () => {
    const out = join(tmp, 'city-drg-names');
    const files = initRegion({ region: 'city09', year: 2025, out, inpatient: 'drg' }).map((f) =>
      f.slice(out.length + 1),
    );
    expect(files).toEqual([
      'payment-mix-2025.yaml',
      'settlement-2025.yaml',
      'qc-2025.yaml',
      'drg-2025.yaml',
      'README.md',
    ]);
    // The kind stays dip-settlement (stored runs and what-if paths name it); the strict loader reads it.
    const set = loadPolicyDir(out, POLICY_KINDS);
    expect(set.files.find((f) => f.file.endsWith('settlement-2025.yaml'))!.kind).toBe('dip-settlement');
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme).toContain('| `settlement-2025.yaml` | dip-settlement | 基金预算');
    expect(readme).toContain('（DIP、DRG 共用的区域点数法结算政策）');
    expect(readme).toContain('- `settlement-2025.yaml` 的 `budget`');
    expect(readme).toContain('- `drg-2025.yaml` 的 `rwCalibration`：`yearWeights` 是 2022、2023、2024 年的权重');
    expect(readme).not.toContain('`dip` 的 `historyYears`');
    expect(readme).not.toContain('referencePointValue');
  });

  it('--inpatient drg: the settlement file reads as a DRG region’s (id, title, header), its kind stays dip-settlement (walk5 #11)', () => {
    const out = join(tmp, 'city05-drg-settlement');
    initRegion({ region: 'city05', year: 2025, out, inpatient: 'drg' });
    const text = readFileSync(join(out, 'settlement-2025.yaml'), 'utf8');
    expect(text).toMatch(/^kind: dip-settlement$/m);
    expect(text).toMatch(/^id: city05-settlement-2025$/m);
    const title = text.match(/^title: (.*)$/m)![1]!;
    expect(title).toContain('DRG');
    expect(title).not.toContain('按病种分值付费');
    // The header says why the kind keeps its DIP name in a DRG region, in both languages.
    const header = text.slice(0, text.indexOf('kind:'));
    expect(header).toContain('DRG 地区');
    expect(header).toContain('DRG region');
    const set = loadPolicyDir(out, POLICY_KINDS);
    const f = set.files.find((x) => x.file.endsWith('settlement-2025.yaml'))!;
    expect(f.kind).toBe('dip-settlement');
    // A DIP region's file keeps its id.
    const dipOut = join(tmp, 'city05-dip-settlement');
    initRegion({ region: 'city05', year: 2025, out: dipOut, inpatient: 'dip' });
    const dip = readFileSync(join(dipOut, 'dip-settlement-2025.yaml'), 'utf8');
    expect(dip).toMatch(/^id: city05-dip-settlement-2025$/m);
    expect(dip).toContain('按病种分值付费结算参数');
  });

  it('--inpatient drg writes a DRG file (weights calibrated locally) and a payment mix that says drg', () => {
    const out = join(tmp, 'city02');
    initRegion({ region: 'city02', year: 2025, out, inpatient: 'drg' });
    const set = loadPolicyDir(out, POLICY_KINDS);
    expect(set.resolveYear(paymentMixKind, 'city02', 2025).values.inpatientCaseMethod.value).toBe('drg');
    const drg = readFileSync(join(out, 'drg-2025.yaml'), 'utf8');
    expect(drg).toContain('value: { method: calibrate }');
    // CHS-DRG 费率 = 基金预算 ÷ Σ RW: weights calibrated here do not go with the template's Harbin base rate.
    expect(set.resolveYear(drgKind, 'city02', 2025).values.baseRate.value).toBe('budget');
    // How to set a published rate is a comment above it, not a note inside the clause the explanations cite (a
    // region that wrote its rates kept "公布本地费率后改为 { employee: 元, resident: 元 }" as the rate's clause).
    expect(set.resolveYear(drgKind, 'city02', 2025).values.baseRate.source).toBe(
      'DRG 付费技术规范 费率 = 基金预算 ÷ 总权重（权重按本地历史测算，不用外地公布的费率）',
    );
    expect(drg).toMatch(
      /\n {2}# 费率：budget 则费率 = 基金预算 ÷ 总权重；公布了本地费率时.*\n {2}# Base rate: .*\n {2}baseRate:\n/,
    );
    expect(drg).not.toContain('12252.70", resident');
    expect(drg).not.toContain('权重不按本地历史测算');
    expect(drg).not.toContain('公布的 DRG 相对权重');
    // The calibration parameters' clause no longer says the weights are imported and not calibrated.
    expect(drg).not.toContain('本模板权重为导入');
    expect(drg).toMatch(
      /rwCalibration:\n.*\n {4}source: "DRG 付费技术规范 权重测算 默认值（本地区按历史病例测算权重）"/,
    );
    // Weights calibrated locally group by the national scheme in force (CHS-DRG 2.0), not the 1.1 of Harbin's table.
    expect(set.resolveYear(drgKind, 'city02', 2025).values.scheme?.value).toBe('chs-drg-2.0');
  });

  it('never overwrites a folder that is not empty', () => {
    expect(() => initRegion({ region: 'city01', year: 2026, out: join(tmp, 'city01'), inpatient: 'dip' })).toThrow(
      CliError,
    );
  });

  it('says what it wrote with a full-width colon in zh (it read "已为 city03 写出 5 个文件:")', async () => {
    const said = async (lang: 'zh' | 'en', region: string) => {
      const program = new Command('yibao').exitOverride();
      registerInitCommand(program, () => ({ lang, json: false, db: '' }));
      let out = '';
      vi.spyOn(process.stdout, 'write').mockImplementation((x: string | Uint8Array) => {
        out += String(x);
        return true;
      });
      try {
        await program.parseAsync(['node', 'yibao', 'init', region, '--out', join(tmp, region)]);
      } finally {
        vi.restoreAllMocks();
      }
      return out;
    };
    const zh = await said('zh', 'city03');
    expect(zh.split('\n')[0]).toBe('已为 city03 写出 5 个文件：');
    expect(asciiPunctuationInZh(zh)).toEqual([]);
    expect((await said('en', 'city04')).split('\n')[0]).toBe('wrote 5 files for city04:');
  });

  // A new user followed "下一步：编辑这些文件，yibao policy check …，然后 yibao settle …" and the settlement stopped:
  // nothing was ingested. The steps name the ingest of institutions and settlement lists, with the folder's QC file.
  it('the next steps: edit and check, ingest institutions and the settlement lists (history years too), settle', () => {
    const zh = nextSteps('city01', 2025, 'policies-city01', 'zh').split('\n');
    expect(zh).toEqual([
      '下一步：',
      '  1. 编辑这些文件（先改 policies-city01/README.md 中列出的取值），再校验：yibao policy check policies-city01',
      '  2. 导入定点医疗机构：yibao ingest institutions 机构.csv --policy policies-city01/qc-2025.yaml',
      '  3. 导入结算清单（历史年度 2022–2024 与 2025 年）：yibao ingest cases 结算清单.csv --policy policies-city01/qc-2025.yaml',
      '  4. 结算：yibao settle --region city01 --year 2025 --policies policies-city01',
    ]);
    const en = nextSteps('city01', 2025, 'policies-city01', 'en');
    expect(en).toContain(
      '  3. ingest the settlement lists (history years 2022–2024 and 2025): yibao ingest cases cases.csv',
    );
    expect(en).not.toMatch(/\p{Script=Han}/u);
  });
  it("a source citing no document of the user's (示范市质控规则, 金额为模板示例) says plainly it must be replaced; policy check warns, never fails", () => {
    const out = join(tmp, 'city-template-sources');
    initRegion({ region: 'city03', year: 2025, out, inpatient: 'dip' });
    const set = loadPolicyDir(out, POLICY_KINDS); // still loads: a warning, not an error
    const qc = set.files.find((f) => f.kind === 'qc')!;
    const maxLos = (qc.values as Record<string, { source: string }[]>).maxLosDays![0]!.source;
    expect(maxLos).toBe(
      '【模板条款，请改为本地区文件及条款】示范市质控规则 第三条：实际住院天数超过 365 天视为日期或天数填写错误，长期住院按中途结算分段上传',
    );
    const settlement = readFileSync(join(out, 'dip-settlement-2025.yaml'), 'utf8');
    expect(settlement).toMatch(
      / {2}budget:\n(?: {4}.*\n)*? {4}source: "【模板条款，请改为本地区文件及条款】002 四\(一\)/,
    );
    // Every source of the folder that cites the demo region or a template example carries the mark.
    for (const f of set.files)
      for (const [name, series] of Object.entries(f.values as Record<string, { source: string }[]>))
        for (const d of series)
          if (/示范|模板示例|本模板/.test(d.source)) expect(d.source, `${f.file} ${name}`).toMatch(/^【模板条款/);
    expect(templateSourceWarning(qc, 'zh')).toBe(
      `! ${qc.file}：8 项参数的 source 仍是模板条款（maxLosDays、maxAgeYears、newbornWeightG、losToleranceDays、ageToleranceYears、nwbAgeToleranceDays、secondaryDiagnosisConflict、duplicateVisit）：请改为本地区文件及条款，并删去「【模板条款，请改为本地区文件及条款】」（不影响校验与结算）`,
    );
    expect(templateSourceWarning(qc, 'en')).toMatch(
      /^! .*qc-2025\.yaml: 8 values' source still cites the template \(maxLosDays, /,
    );
    // The user's own clause in place of the template's: no warning.
    const own = { file: qc.file, values: { maxLosDays: [{ value: 365, source: 'city03 结算清单质控细则 第三条' }] } };
    expect(templateSourceWarning(own, 'zh')).toBeUndefined();
  });

  // walk6 #5: the budget's clause kept （金额为模板示例） after the user wrote the region's own amount. There is no flag
  // for the budget: the file says it is edited there, and that the note goes with the mark; policy check warns while a
  // note is left without the mark.
  it('the budget is set by editing the file: its comment says so and to delete （金额为模板示例）; a note left is warned', () => {
    const out = join(tmp, 'city-budget-note');
    initRegion({ region: 'city05', year: 2025, out, inpatient: 'dip' });
    const text = readFileSync(join(out, 'dip-settlement-2025.yaml'), 'utf8');
    const lines = text.split('\n');
    const at = lines.indexOf('  budget:');
    expect(lines[at - 2]).toMatch(
      /^ {2}# 基金预算：在本文件中直接改 value.*删去「【模板条款，请改为本地区文件及条款】」和「（金额为模板示例）」。$/,
    );
    expect(lines[at - 1]).toMatch(
      /^ {2}# Fund budget: edit value here \(there is no option for it\).*delete .*"（金额为模板示例）"\.$/,
    );
    expect(lines[at - 1]).not.toMatch(/[\u4e00-\u9fff](?![^"]*")/u); // en: Chinese only in the quoted marks
    // The DRG region's shared settlement file says the same.
    const drg = join(tmp, 'city-budget-note-drg');
    initRegion({ region: 'city06', year: 2025, out: drg, inpatient: 'drg' });
    expect(readFileSync(join(drg, 'settlement-2025.yaml'), 'utf8')).toContain('  # 基金预算：在本文件中直接改 value');
    // The README's list says the same.
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain(
      '在文件中直接改；改后把 source 改为本地区条款，删去「（金额为模板示例）」',
    );
    // As the user does it: the amount edited and the mark deleted, the note left → a warning naming it, in zh and en.
    const edited = text
      .replace(/ {2}budget:\n {4}value:\n(?: {6,}.*\n)+/, '  budget:\n    value: { method: given, amount: 70000 }\n')
      .replace('source: "【模板条款，请改为本地区文件及条款】002 四(一)', 'source: "002 四(一)');
    writeFileSync(join(out, 'dip-settlement-2025.yaml'), edited);
    const f = loadPolicyDir(out, POLICY_KINDS).files.find((x) => x.kind === 'dip-settlement')!;
    expect(templateSourceWarning(f, 'zh')).toContain(
      '（provisionalPointValue、prepayRatio、advanceMonths、defaultAssessment）',
    );
    expect(templateExampleWarning(f, 'zh')).toBe(
      `! ${f.file}：1 项参数的 source 仍说取值是模板示例（budget「（金额为模板示例）」）：取值已改为本地区的，请删去这句说明；仍用模板的取值，请改为本地区的取值（不影响校验与结算）`,
    );
    expect(templateExampleWarning(f, 'en')).toBe(
      `! ${f.file}: 1 value's source still says the value is the template's example (budget "（金额为模板示例）"): if the value is your region's now, delete that note; if not, write your region's value (this does not stop the check or settlement)`,
    );
    // The note deleted too: no warning.
    writeFileSync(
      join(out, 'dip-settlement-2025.yaml'),
      edited.replace(/(source: "002 四\(一\)[^"\n]*)（金额为模板示例）"/, '$1"'),
    );
    const clean = loadPolicyDir(out, POLICY_KINDS).files.find((x) => x.kind === 'dip-settlement')!;
    expect(templateExampleWarning(clean, 'zh')).toBeUndefined();
  });

  it("title and document naming the demo region's documents (示范市支付方式组合) are marked as the template's; policy check warns", () => {
    const out = join(tmp, 'city-template-names');
    initRegion({ region: 'city05', year: 2025, out, inpatient: 'drg' });
    const set = loadPolicyDir(out, POLICY_KINDS); // still loads: a warning, not an error
    const mix = set.files.find((f) => f.kind === 'payment-mix')!;
    expect(mix.title).toBe('【模板名称，请改为本地区文件名称】示范市支付方式组合 2025');
    expect(mix.document).toMatch(/^【模板名称，请改为本地区文件名称】示范市 DRG\/DIP 付费实施细则/);
    // No title or document of the folder names the demo region or a template without the mark.
    for (const f of set.files)
      for (const text of [f.title, f.document ?? ''])
        if (/示范|模板/.test(text)) expect(text, f.file).toMatch(/^【模板名称，请改为本地区文件名称】/);
    // The demo file's opening comment described the demo region and yibao's own default QC: not the user's file.
    const mixText = readFileSync(join(out, 'payment-mix-2025.yaml'), 'utf8');
    const qcText = readFileSync(join(out, 'qc-2025.yaml'), 'utf8');
    expect(mixText).not.toContain('# 示范市');
    expect(qcText).not.toContain('src/ingest/qc/settings.ts');
    // …and said "按 DIP 付费" above `value: drg`: the comment follows the method asked for.
    expect(mixText).toContain('# 住院病例（按床日、按病种付费以外）按 DRG 付费；改为按 DIP 付费');
    // Harbin's published base rate is not what a locally calibrated DRG file implements.
    expect(set.files.find((f) => f.kind === 'drg')!.document).toBe('国家医疗保障 DRG 分组与付费技术规范');
    expect(templateNameWarning(mix, 'zh')).toBe(
      `! ${mix.file}：title、document 仍是模板的文件名称：请改为本地区的文件名称，并删去「【模板名称，请改为本地区文件名称】」（不影响校验与结算）`,
    );
    expect(templateNameWarning(mix, 'en')).toBe(
      `! ${mix.file}: title and document still name the template's document: write your own document's name and delete "【模板名称，请改为本地区文件名称】" (this does not stop the check or settlement)`,
    );
    // A title of the user's own: no warning.
    expect(templateNameWarning({ file: mix.file, title: 'city05 支付方式组合 2025' }, 'zh')).toBeUndefined();
  });

  it("the demo's own policy files cite 示范市 legitimately: no template-name warning", () => {
    const demo = loadPolicyDir(join(BUNDLED_POLICY_DIR, 'demo'), POLICY_KINDS);
    expect(demo.files.find((f) => f.kind === 'payment-mix')!.title).toBe('示范市支付方式组合 2025');
    for (const f of demo.files) expect(templateNameWarning(f, 'zh'), f.file).toBeUndefined();
  });
});
