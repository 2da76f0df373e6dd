// www/lib/drugs.js — the drug codes the embedded donation programmes match (policies/programmes/*),
// offered as suggestions in the plan view; any other code may be typed.
// NOTE: the package does not yet list these (PackSummary has no drug codes); keep in step
// with policies/programmes until it does.
export const DRUG_CODES = [
  { code: "imatinib", name: { zh: "伊马替尼（格列卫）", en: "imatinib (Glivec)" } },
  { code: "nilotinib", name: { zh: "尼洛替尼（达希纳）", en: "nilotinib (Tasigna)" } },
  { code: "pembrolizumab", name: { zh: "帕博利珠单抗（可瑞达）", en: "pembrolizumab (Keytruda)" } },
  { code: "nivolumab", name: { zh: "纳武利尤单抗（欧狄沃）", en: "nivolumab (Opdivo)" } },
  { code: "pemetrexed", name: { zh: "培美曲塞", en: "pemetrexed" } },
  { code: "gefitinib", name: { zh: "吉非替尼", en: "gefitinib" } },
  { code: "osimertinib", name: { zh: "奥希替尼", en: "osimertinib" } },
  { code: "ruxolitinib", name: { zh: "芦可替尼", en: "ruxolitinib" } },
  { code: "pazopanib", name: { zh: "培唑帕尼", en: "pazopanib" } },
  { code: "cetuximab", name: { zh: "西妥昔单抗", en: "cetuximab" } },
  { code: "enruige", name: { zh: "恩瑞格", en: "enruige" } },
];
