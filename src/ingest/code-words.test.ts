/**
 * R-DATA-1 enumerated input fields (代码取值) in words: 机构类型, 医院等级, 险种类型, 性别, 离院方式 and 收费项目等级 are taken as
 * their codes or as their glossary words in zh or en (src/model/code-words.ts), stored as the code; a value that is
 * none of them is refused with the allowed words of the message's language (zh lists no English code).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  allowedText,
  CATALOG_CLASS,
  type CodeSet,
  codeOfWord,
  DISCHARGE_WAY,
  HOSPITAL_LEVEL,
  INSTITUTION_TYPE,
  INSURANCE_TYPE,
  inputWords,
  SEX,
} from '../model/code-words.ts';
import { lit } from '../store/duckdb/sql.ts';
import { ingestFile } from './pipeline.ts';
import { TYPED_MACROS, typedExpr, wordsToCode } from './qc/typed.ts';
import { memoryStore, sampleStore, tableRows, tempDir, toCsv, validCase } from './testing.ts';

const tmp = tempDir('yibao-code-words-');
afterAll(() => tmp.remove());

const SETS: Record<string, CodeSet> = {
  HOSPITAL_LEVEL,
  INSTITUTION_TYPE,
  INSURANCE_TYPE,
  SEX,
  DISCHARGE_WAY,
  CATALOG_CLASS,
};

const institution = (code: string, level: string, type: string) => ({
  fixmedins_code: code,
  fixmedins_name: `医院${code}`,
  hosp_lv: level,
  inst_type: type,
  admdvs: '150101',
});

describe('R-DATA-1 code words (src/model/code-words.ts)', () => {
  it('no word names two codes of one set, and every code, zh and en word leads back to its code', () => {
    for (const set of Object.values(SETS)) {
      const words = inputWords(set);
      for (const w of set) {
        expect(words.get(w.code.toLowerCase())).toBe(w.code);
        expect(words.get(w.zh.toLowerCase())).toBe(w.code);
        expect(words.get(w.en.toLowerCase())).toBe(w.code);
      }
    }
  });

  it('property: any word of a set, in any letter case and with spaces around it, reads as its code', () => {
    for (const set of Object.values(SETS)) {
      const pairs = [...inputWords(set)];
      fc.assert(
        fc.property(fc.constantFrom(...pairs), fc.boolean(), fc.nat(3), ([word, code], upper, pad) => {
          const typed = `${' '.repeat(pad)}${upper ? word.toUpperCase() : word}${' '.repeat(pad)}`;
          expect(codeOfWord(set, typed)).toBe(code);
        }),
      );
    }
  });

  it('property: the ingest SQL (the code column parse, then wordsToCode) reads any word, in any letter case and with spaces around it, as its code', async () => {
    const store = await memoryStore();
    await store.connection.run(TYPED_MACROS);
    for (const [name, set] of Object.entries(SETS)) {
      const words = inputWords(set);
      const samples = fc.sample(fc.tuple(fc.constantFrom(...words), fc.boolean(), fc.nat(3)), 300);
      const typed = samples.map(
        ([[word], upper, pad]) => `${' '.repeat(pad)}${upper ? word.toUpperCase() : word}${' '.repeat(pad)}`,
      );
      const rows = await store.rows(
        `SELECT i, ${wordsToCode(typedExpr('code', 'x'), words)}
         FROM (SELECT unnest(range(${typed.length})) AS i, unnest([${typed.map(lit).join(', ')}]) AS x) ORDER BY i`,
      );
      expect(
        rows.map((r) => r[1]),
        name,
      ).toEqual(samples.map(([[, code]]) => code));
    }
    // A value that is no word stays as it is (then the code-set check refuses it).
    expect(
      await store.scalar(`SELECT ${wordsToCode(typedExpr('code', "' 专科医院 '"), inputWords(INSTITUTION_TYPE))}`),
    ).toBe('专科医院');
    await store.close();
  });

  it('zh lists the zh words (numeric codes beside them, never an English code); en lists the codes', () => {
    expect(allowedText(INSTITUTION_TYPE, 'zh')).toBe('综合医院/中医医院/精神专科医院/康复医院/基层医疗机构/妇幼保健院');
    expect(allowedText(HOSPITAL_LEVEL, 'zh')).toBe('三级（3）/二级（2）/一级（1）/基层');
    expect(allowedText(HOSPITAL_LEVEL, 'en')).toBe('3 (level 3)/2 (level 2)/1 (level 1)/primary (primary care)');
    for (const set of Object.values(SETS)) expect(allowedText(set, 'zh')).not.toMatch(/[A-Za-z]/);
  });
});

describe('R-DATA-1 ingest institutions with 机构类型 and 医院等级 in words', () => {
  it('综合医院, 中医院, 三级甲等, General Hospital, level 2 … are stored as their codes', async () => {
    const store = await memoryStore();
    const r = await ingestFile(store, {
      kind: 'institutions',
      file: tmp.file(
        'inst-words.csv',
        toCsv([
          institution('H1', '三级甲等', '综合医院'),
          institution('H2', '二级', '中医院'),
          institution('H3', 'level 1', 'General Hospital'),
          institution('H4', '基层', '社区卫生服务中心'),
          institution('H5', '3', 'general'),
          institution('H6', '二甲', '妇幼保健院'),
          institution('H7', ' 三级 ', ' 精神专科医院 '),
        ]),
      ),
    });
    expect([r.accepted, r.rejected]).toEqual([7, 0]);
    expect((await store.readInstitutions()).map((i) => [i.code, i.level, i.type])).toEqual([
      ['H1', '3', 'general'],
      ['H2', '2', 'tcm'],
      ['H3', '1', 'general'],
      ['H4', 'primary', 'primary'],
      ['H5', '3', 'general'],
      ['H6', '2', 'maternal-child'],
      ['H7', '3', 'psychiatric'],
    ]);
    await store.close();
  });

  it('a word and its code are the same row: re-ingesting with codes instead of words is already present', async () => {
    const store = await memoryStore();
    await ingestFile(store, {
      kind: 'institutions',
      file: tmp.file('inst-a.csv', toCsv([institution('H1', '三级', '综合医院')])),
    });
    const again = await ingestFile(store, {
      kind: 'institutions',
      file: tmp.file('inst-b.csv', toCsv([institution('H1', '3', 'general')])),
    });
    expect([again.accepted, again.alreadyPresent, again.rejected]).toEqual([0, 1, 0]);
    await store.close();
  });

  it('专科医院 (no single type) is refused; the zh message lists the zh words only, the en one the codes', async () => {
    const store = await memoryStore();
    const r = await ingestFile(store, {
      kind: 'institutions',
      file: tmp.file(
        'inst-bad.csv',
        toCsv([institution('H1', '三级', '专科医院'), institution('H2', '特级', '综合医院')]),
      ),
    });
    expect([r.accepted, r.rejectsByCode]).toEqual([0, { E_CODE_INVALID: 2 }]);
    const rejects = await tableRows(store, 'SELECT field, message_zh, message_en FROM rejects ORDER BY field');
    expect(rejects.map((x) => x.field)).toEqual(['hosp_lv', 'inst_type']);
    const [level, type] = rejects;
    expect(type!.message_zh).toContain(
      '"专科医院" 不是允许的取值；应为 综合医院/中医医院/精神专科医院/康复医院/基层医疗机构/妇幼保健院 之一',
    );
    expect(type!.message_zh).not.toMatch(/general|tcm|psychiatric|rehabilitation|primary|maternal/);
    expect(type!.message_en).toContain('general (general hospital)/tcm (TCM hospital)');
    expect(level!.message_zh).toContain('"特级" 不是允许的取值；应为 三级（3）/二级（2）/一级（1）/基层 之一');
    expect(level!.message_zh).not.toMatch(/primary/);
    await store.close();
  });

  it('是否牵头医院 takes 是/否 as well as 1/0', async () => {
    const store = await memoryStore();
    const r = await ingestFile(store, {
      kind: 'institutions',
      file: tmp.file(
        'inst-lead.csv',
        toCsv([
          { ...institution('H1', '三级', '综合医院'), mc_id: 'MC1', mc_lead: '是' },
          { ...institution('H2', '基层', '乡镇卫生院'), mc_id: 'MC1', mc_lead: '否' },
        ]),
      ),
    });
    expect(r.accepted).toBe(2);
    expect((await store.readInstitutions()).map((i) => [i.code, i.isLead])).toEqual([
      ['H1', true],
      ['H2', false],
    ]);
    await store.close();
  });
});

describe('R-DATA-1 settlement lists and persons with 性别, 险种类型 and 离院方式 in words', () => {
  it('男/职工医保/医嘱离院 and 女/城乡居民基本医疗保险/死亡 are stored as 1/310/1 and 2/390/5', async () => {
    const store = await sampleStore(tmp);
    const r = await ingestFile(store, {
      kind: 'cases',
      file: tmp.file(
        'cases-words.csv',
        toCsv([
          validCase({ setl_id: 'W1', gend: '男', insutype: '职工医保', dscg_way: '医嘱离院' }),
          validCase({
            setl_id: 'W2',
            mdtrt_id: 'M2',
            gend: '1',
            insutype: '城乡居民基本医疗保险',
            dscg_way: '死亡',
          }),
        ]),
      ),
    });
    expect([r.accepted, r.rejected]).toEqual([2, 0]);
    expect(await tableRows(store, 'SELECT setl_id, gend, insutype, dscg_way FROM cases ORDER BY setl_id')).toEqual([
      { setl_id: 'W1', gend: '1', insutype: '310', dscg_way: '1' },
      { setl_id: 'W2', gend: '1', insutype: '390', dscg_way: '5' },
    ]);
    const persons = await ingestFile(store, {
      kind: 'persons',
      file: tmp.file(
        'persons-words.csv',
        toCsv([{ psn_no: 'P1', gend: '女', brdy: '1950-02-03', insutype: '居民医保', admdvs: '01' }]),
      ),
    });
    expect(persons.accepted).toBe(1);
    expect(await tableRows(store, 'SELECT gend, insutype FROM persons')).toEqual([{ gend: '2', insutype: '390' }]);
    await store.close();
  });

  it('a sex that is no word of the set is refused with 男（1）/女（2）/未说明（9）', async () => {
    const store = await sampleStore(tmp);
    const r = await ingestFile(store, {
      kind: 'cases',
      file: tmp.file('cases-bad-sex.csv', toCsv([validCase({ setl_id: 'X1', gend: 'x' })])),
    });
    expect(r.rejectsByCode).toEqual({ E_CODE_INVALID: 1 });
    const [row] = await tableRows(store, 'SELECT message_zh, message_en FROM rejects');
    expect(row!.message_zh).toContain('应为 男（1）/女（2）/未说明（9） 之一');
    expect(row!.message_en).toContain('use one of 1 (male)/2 (female)/9 (unknown)');
    await store.close();
  });
});
