// www/lib/errors.js — the sentence a person reads for each of the engine's error codes (and the
// few the page and widget raise themselves), in zh-CN and en. One place for the page, the
// widget, the year plan and the playground: no raw engine or serde text reaches a person.
// tests/browser/page.test.mjs checks that every code the engine declares (errorCodes()) has a
// sentence here.
//
// API (stable):
//   ERROR_SENTENCES            { code: { zh, en } }
//   errorSentence(code, lang)  the sentence, or a general one for a code not listed

export const ERROR_SENTENCES = {
  json_syntax: { zh: "文本格式不对（少了逗号、引号或括号）：请检查粘贴的内容。", en: "The text is malformed (a comma, quote or bracket is missing): please check what was pasted." },
  invalid_type: { zh: "这一项的类型不对（例如应填数字的地方填了文字）：请检查。", en: "This value has the wrong type (for example text where a number belongs): please check it." },
  unknown_field: { zh: "有一项计算器不认识（可能拼写错误）：请检查名称。", en: "There is a field the calculator does not know (a typo?): please check its name." },
  missing_field: { zh: "还缺这一项：请填写。", en: "This is still missing: please fill it in." },
  invalid_value: { zh: "这一项的取值不在可选范围内：请从列表中选择。", en: "This value is not one of those allowed: please choose one from the list." },
  invalid_amount: { zh: "金额写法不对：请填数字，最多两位小数，例如 50000 或 1234.50。", en: "This amount cannot be read: please enter a number with at most two decimals, like 50000 or 1234.50." },
  invalid_rate: { zh: "比例写法不对：请填 0 到 100 之间的百分比。", en: "This share cannot be read: please enter a percentage from 0 to 100." },
  invalid_date: { zh: "日期不对：请选择一个日期（年-月-日）。", en: "This date is not valid: please choose a date (year-month-day)." },
  number_not_string: { zh: "金额和比例要写成带引号的文本，避免计算误差。", en: "Amounts and rates must be written as quoted text, so no rounding error creeps in." },
  overflow: { zh: "数字太大，无法计算：请检查是否多打了零。", en: "A number is too large to compute: please check for extra zeros." },
  unknown_pack: { zh: "没有这个地区或项目的规则：请从列表中选择地区。", en: "There are no rules with this name: please choose a region from the list." },
  unknown_reference: { zh: "规则里引用了不存在的编号（来源、支付层或参保类型）：请检查规则。", en: "The rules refer to something that does not exist (a source, layer or scheme): please check the rules." },
  not_in_effect: { zh: "这个日期没有适用的规则：请检查就诊日期，或选择规则覆盖该日期的地区。", en: "No rules apply on this date: please check the date of care, or choose a region whose rules cover it." },
  no_layers: { zh: "规则里没有任何支付层：请至少添加一层（例如基本医保）。", en: "The rules contain no paying layers: please add at least one (for example basic insurance)." },
  unknown_document: { zh: "看不出这是什么文件：应为地区规则或救助项目（含 kind、layers）、病例（含 member、encounters）或治疗计划（含 member、plan）。", en: "This document is not one the calculator knows: it should be rules or a programme (with kind and layers), a case (with member and encounters) or a plan (with member and plan)." },
  unsorted_dates: { zh: "规则的生效日期没有按先后排列：请按时间顺序排列。", en: "The rules' dates are not in order: please list them from earliest to latest." },
  overlapping_dates: { zh: "两段规则的生效期重叠：请让每段在下一段开始前结束。", en: "Two periods of rules overlap: please end each one before the next begins." },
  bands_not_ascending: { zh: "分段没有从低到高排列：请按起点从小到大填写。", en: "The bands are not in ascending order: please list them from the lowest start." },
  missing_source: { zh: "缺少来源：每条规则都要注明出处（文件或网页）。", en: "A source is missing: every rule must say where it comes from (a document or page)." },
  duplicate_id: { zh: "同一个编号用了两次：请给每一项不同的编号。", en: "The same id is used twice: please give each one its own id." },
  weak_source: { zh: "来源不够可靠：请填写载有该数字的具体网页或文号；转载最高评为 B 级；仅有 D 级来源的数字不能用于计算。", en: "The source is not strong enough: give the page or document number with the figure; a copy is graded B at most; figures from grade D sources alone cannot be computed." },
  missing_validity: { zh: "来源缺少有效期：请填写起始日期、截止日期（或“至被替代”）和复核日期。", en: "The source's validity is missing: please give its start, its end (or \"until replaced\") and a review date." },
  limit_exceeded: { zh: "内容超出计算器的大小限制：请减少条目。", en: "This exceeds one of the calculator's size limits: please enter fewer entries." },
  too_large: { zh: "输入内容过大：请分成几次计算。", en: "The input is too large: please split it into several estimates." },
  too_deep: { zh: "内容嵌套层数过多，无法读取。", en: "The input is nested too deeply to be read." },
  too_many_encounters: { zh: "就诊次数太多：请分成几次计算。", en: "Too many visits or stays: please split them into several estimates." },
  too_many_items: { zh: "费用明细条数太多：请合并同类项目后再计算。", en: "Too many bill items: please combine similar items and try again." },
  too_many_programmes: { zh: "选择的救助项目太多：请减少后再试。", en: "Too many programmes are selected: please choose fewer." },
  too_many_names: { zh: "列表条目太多：请减少后再试。", en: "A list has too many entries: please shorten it." },
  too_many_rules: { zh: "规则中的列表太长：请减少条目。", en: "A list in the rules is too long: please shorten it." },
  too_many_variants: { zh: "比较的方案太多：请减少后再试。", en: "Too many scenarios to compare: please choose fewer." },
  too_many_combinations: { zh: "不确定的情况组合太多：请多填写一些已知信息。", en: "Too many combinations of unknowns: please fill in more of what you know." },
  too_many_months: { zh: "治疗计划的月数太多：请缩短计划。", en: "The plan runs too many months: please shorten it." },
  too_many_courses: { zh: "治疗内容太多：请减少后再试。", en: "Too many treatments in the plan: please enter fewer." },
  too_many_costs: { zh: "非医疗费用条目太多：请合并后再试。", en: "Too many non-medical costs: please combine some." },
  invalid_pack: { zh: "规则文件有问题（见下列各项）。", en: "The rules have problems (listed below)." },
  invalid_case: { zh: "输入有问题：请检查标出的各项。", en: "The input has a problem: please check the marked fields." },
  inconsistent: { zh: "填写的内容相互矛盾（例如各类比例加起来不是 100%，或两项只能选其一却都填了）：请检查，只保留一项。", en: "Entries contradict each other (for example shares that do not add up to 100%, or two fields where only one can apply): please check them and keep one." },
  internal: { zh: "计算器出了内部错误（这是我们的问题，不是您的）：请刷新页面再试，并告诉我们。", en: "The calculator hit an internal error (our fault, not yours): please reload the page and try again, and tell us." },
  // raised by the page, the widget and the package rather than the engine
  not_initialized: { zh: "计算器还在加载：请稍候。", en: "The calculator is still loading: please wait a moment." },
  not_same_origin: { zh: "项目文件必须来自本网站。", en: "The programme file must come from this website." },
  fetch_failed: { zh: "无法读取项目文件：请检查网络后重试。", en: "The programme file could not be read: please check the connection and try again." },
  not_a_programme: { zh: "这不是救助项目文件（kind 应为 \"programme\"）。", en: "This is not a programme file (kind must be \"programme\")." },
};

const GENERAL = { zh: "这一项有问题：请检查后再试。", en: "Something here is not right: please check it and try again." };

/** The sentence for `code` in `lang` ("zh" | "en"). */
export function errorSentence(code, lang = "zh") {
  const s = ERROR_SENTENCES[code] || GENERAL;
  return lang === "en" ? s.en : s.zh;
}
