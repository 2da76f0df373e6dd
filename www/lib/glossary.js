// www/lib/glossary.js — the words of Chinese medical insurance a family meets on the page,
// explained in a sentence or two, in zh-CN and en. One glossary for every place a term
// appears (app.js shows it as a tap-to-open note beside the word, and lists it all under
// 词语解释 / Words used).
//
// API (stable):
//   GLOSSARY            { id: { zh: { term, text }, en: { term, text } } }
//   TERMS               the ids in reading order
//   entry(id, lang)     { term, text } in lang

export const GLOSSARY = {
  classes: {
    zh: { term: "甲类、乙类、丙类", text: "医保目录把药品和项目分为三类。甲类按规定比例报销；乙类要先由个人付一小部分（先行自付）再报销；丙类不在目录内（目录外、自费），医保不报销。" },
    en: { term: "Class A, B, C (甲/乙/丙类)", text: "The insurance catalogue sorts drugs and services into three classes. Class A is reimbursed at the set rate; class B after the patient first pays a small part (先行自付); class C is outside the catalogue (self-pay, 自费) and basic insurance pays none of it." },
  },
  deductible: {
    zh: { term: "起付线", text: "医保开始报销前要自己先付的金额（也叫起付标准、门槛费）。每次住院或每年计算一次，各地、各级医院不同。" },
    en: { term: "Deductible (起付线)", text: "What you pay yourself before insurance starts to pay (also 起付标准). It counts per admission or per year, and differs by city and hospital level." },
  },
  cap: {
    zh: { term: "封顶线", text: "一年内这一层最多支付的金额（最高支付限额）。超过的部分由下一层（如大病保险）或个人承担。" },
    en: { term: "Cap (封顶线)", text: "The most this layer pays in a year (最高支付限额). Above it, the next layer (such as critical-illness insurance) or the family pays." },
  },
  inScope: {
    zh: { term: "政策范围内", text: "医保目录内、按规定可以报销的费用（甲类和乙类扣除先行自付后的部分）。报销比例都按这部分计算。" },
    en: { term: "Within the policy scope (政策范围内)", text: "The part of the bill insurance may reimburse under the rules: class A, and class B after the part paid first. Reimbursement rates apply to this part." },
  },
  firstPay: {
    zh: { term: "先行自付", text: "乙类药品和项目要先由个人支付的一部分（通常 5%–20%），剩下的才进入报销。" },
    en: { term: "Paid first (先行自付)", text: "The part of a class B drug or service the patient pays first (usually 5–20%); only the rest is reimbursed." },
  },
  critical: {
    zh: { term: "大病保险", text: "城乡居民医保的第二层：一年内个人负担的合规费用超过起付标准后，再按比例报销，不用另外缴费。职工医保对应的是职工大额医疗费用补助。" },
    en: { term: "Critical-illness insurance (大病保险)", text: "The second layer of residents' insurance: once the eligible costs you bear in a year pass its threshold, it pays a share of the rest, with no extra premium. Employees have large-expense cover (职工大额) instead." },
  },
  assistance: {
    zh: { term: "医疗救助", text: "民政和医保部门对低保、特困、低收入等困难家庭的救助：在医保和大病保险之后，再按比例补助个人负担的费用。要先被认定救助身份。" },
    en: { term: "Medical assistance (医疗救助)", text: "Help for households certified as in hardship (低保, 特困, low income): after insurance and critical-illness insurance, it pays a share of what is left. The status must be certified first." },
  },
  filing: {
    zh: { term: "异地备案", text: "到参保地以外看病前，在国家医保服务平台 App、参保地经办机构办理的登记。备案后可以直接结算，报销比例通常更高；没备案的报销会降低。" },
    en: { term: "Filing for care elsewhere (异地备案)", text: "Registering, before care outside your insured region, on the national insurance app or at your local office. With it, bills settle directly and usually at a better rate; without it, reimbursement is lower." },
  },
  grades: {
    zh: { term: "来源等级", text: "每个数字都注明出处：A 为政府原文，B 为转载或媒体报道，C 为间接推算，D 为未核实。等级越低，结果越需要到医保窗口核对。" },
    en: { term: "Source grades", text: "Every figure cites where it comes from: A the government's own text, B a copy or press report, C derived indirectly, D unverified. The lower the grade, the more the result needs checking at the insurance office." },
  },
};

export const TERMS = Object.keys(GLOSSARY);

export function entry(id, lang = "zh") {
  const g = GLOSSARY[id];
  return g ? g[lang === "en" ? "en" : "zh"] : { term: id, text: "" };
}
