/**
 * Department codes of the settlement list (出院科别 dscg_caty): the first-level subjects of the 《医疗机构诊疗科目名录》
 * (卫医发〔1994〕第27号, with 疼痛科 27 and 重症医学科 28 added in 2007 and 2009), which the 4101 list uses. A
 * second-level code (e.g. 03.01 or 0301, 呼吸内科专业) is named by its first level. Pure data.
 */
const SUBJECTS: Readonly<Record<string, { zh: string; en: string }>> = {
  '01': { zh: '预防保健科', en: 'preventive care' },
  '02': { zh: '全科医疗科', en: 'general practice' },
  '03': { zh: '内科', en: 'internal medicine' },
  '04': { zh: '外科', en: 'surgery' },
  '05': { zh: '妇产科', en: 'obstetrics and gynaecology' },
  '06': { zh: '妇女保健科', en: 'women’s health care' },
  '07': { zh: '儿科', en: 'paediatrics' },
  '08': { zh: '小儿外科', en: 'paediatric surgery' },
  '09': { zh: '儿童保健科', en: 'child health care' },
  '10': { zh: '眼科', en: 'ophthalmology' },
  '11': { zh: '耳鼻咽喉科', en: 'otorhinolaryngology' },
  '12': { zh: '口腔科', en: 'stomatology' },
  '13': { zh: '皮肤科', en: 'dermatology' },
  '14': { zh: '医疗美容科', en: 'medical cosmetology' },
  '15': { zh: '精神科', en: 'psychiatry' },
  '16': { zh: '传染科', en: 'infectious diseases' },
  '17': { zh: '结核病科', en: 'tuberculosis' },
  '18': { zh: '地方病科', en: 'endemic diseases' },
  '19': { zh: '肿瘤科', en: 'oncology' },
  '20': { zh: '急诊医学科', en: 'emergency medicine' },
  '21': { zh: '康复医学科', en: 'rehabilitation medicine' },
  '22': { zh: '运动医学科', en: 'sports medicine' },
  '23': { zh: '职业病科', en: 'occupational diseases' },
  '24': { zh: '临终关怀科', en: 'hospice care' },
  '25': { zh: '特种医学与军事医学科', en: 'special and military medicine' },
  '26': { zh: '麻醉科', en: 'anaesthesiology' },
  '27': { zh: '疼痛科', en: 'pain medicine' },
  '28': { zh: '重症医学科', en: 'critical care medicine' },
  '30': { zh: '医学检验科', en: 'laboratory medicine' },
  '31': { zh: '病理科', en: 'pathology' },
  '32': { zh: '医学影像科', en: 'medical imaging' },
  '50': { zh: '中医科', en: 'traditional Chinese medicine' },
  '51': { zh: '民族医学科', en: 'ethnic medicine' },
  '52': { zh: '中西医结合科', en: 'integrated Chinese and Western medicine' },
  '69': { zh: '其他业务科室', en: 'other clinical departments' },
};

/** The department's name in the asked language, or '' for a code not on the list (a local code). */
export function departmentName(code: string, lang: 'zh' | 'en' = 'zh'): string {
  const first = /^\d{2}/.exec(code.trim())?.[0];
  return (first && SUBJECTS[first]?.[lang]) || '';
}
