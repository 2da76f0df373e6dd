// The demo charity page listens to the widget's events, as a portal might (e.g. to show an
// "apply now" button when its programme pays something). Nothing is sent anywhere.
const log = document.getElementById("event-log");
document.addEventListener("tiercost:estimate", (e) => {
  const s = e.detail;
  log.textContent = s.programme?.paid
    ? `事件 tiercost:estimate：本计划补助 ${s.programme.paid} 元，剩余自付 ${s.remainder} 元。`
    : `事件 tiercost:estimate：剩余自付 ${s.remainder} 元。`;
});
document.addEventListener("tiercost:error", (e) => {
  log.textContent = `事件 tiercost:error：${e.detail.code} (${e.detail.path})`;
});
