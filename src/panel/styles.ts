/** The panel's stylesheet, adopted by its shadow root (a constructable stylesheet; a `<style>` element where the browser has none, see `addSheet`). */
export const PANEL_CSS = `
.panel{all:initial;display:block;font:13px/1.4 system-ui,sans-serif;color:#e6e9ef;box-sizing:border-box;width:min(460px,calc(100vw - 24px));max-height:calc(100vh - 24px);overflow:auto;background:#151a24;color:#e6e9ef;border:1px solid #3a445a;border-radius:10px;box-shadow:0 8px 30px #0008;padding:10px 12px}
.panel.drop{outline:3px dashed #8ab4ff;outline-offset:-6px}
.panel *{box-sizing:border-box}
.panel:focus{outline:none}
h2,h3{margin:0;font-size:14px;font-weight:600}
h2{min-width:0;overflow-wrap:anywhere}
h2 .label{font-weight:400;color:#a9b3c4}
h3{font-size:13px;margin:12px 0 6px;color:#c7cfdd}
.head{display:flex;align-items:center;gap:8px}
.head .grow{flex:1}
.dot{width:9px;height:9px;border-radius:50%;background:#ff5a5a}
.dot.off{background:#7b8496}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.muted{color:#a9b3c4}
p[role=status]:empty{margin:0}
select{max-width:100%}
button,select,input,textarea{font:inherit;color:#e6e9ef;background:#232b3b;border:1px solid #4a556e;border-radius:5px;padding:3px 8px}
button{cursor:pointer}
::placeholder{color:#a9b3c4;opacity:1}
label.filter{display:flex;flex-direction:column;gap:2px;font-size:12px;color:#a9b3c4;min-width:0;max-width:100%}
label.filter select,label.filter input{font-size:13px}
h3:focus{outline:none}
h3:focus-visible{outline:2px solid #8ab4ff;outline-offset:1px}
button:disabled{opacity:.55;cursor:default}
button:focus-visible,select:focus-visible,input:focus-visible,textarea:focus-visible,.list:focus-visible{outline:2px solid #8ab4ff;outline-offset:1px}
.primary{background:#2f5bd3;border-color:#5b82f0;color:#fff}
.danger{border-color:#a34848}
dl.stats{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:4px;margin:8px 0 0}
dl.stats div{background:#1d2330;border-radius:6px;padding:3px 5px;min-width:0;overflow-wrap:anywhere}
dt{font-size:11px;color:#a9b3c4}dd{margin:0;font-weight:600}
dd.bad{color:#ff8a8a}
form.report{display:flex;flex-direction:column;gap:6px}
textarea{width:100%;min-height:44px;resize:vertical}
.row{display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.filters{margin:8px 0}
ul.sessions{list-style:none;margin:0;padding:0 4px 0 0;max-height:190px;overflow:auto;scroll-padding:4px 0}
ul.sessions li{display:flex;flex-wrap:wrap;gap:4px 6px;align-items:center;padding:4px 0;border-bottom:1px solid #262e3e}
ul.sessions .info{flex:1 1 262px;min-width:0}
ul.sessions .acts{display:flex;gap:6px;margin-left:auto}
ul.sessions .sid{display:block;overflow-wrap:anywhere;color:#e6e9ef}
ul.sessions .details{display:block;color:#a9b3c4;font-size:12px}
.summary.ok{color:#7fd88f}.summary.bad{color:#ff8a8a}.summary.warn,.unanswered{color:#f5c76b}
pre.report{white-space:pre-wrap;word-break:break-word;background:#10141c;border:1px solid #3a445a;border-radius:6px;padding:6px;max-height:200px;overflow:auto;margin:6px 0}
input[type=range]{width:100%;padding:0}
table.step{width:100%;border-collapse:collapse;margin-top:6px;table-layout:fixed}
table.step th{text-align:left;font-weight:400;color:#a9b3c4;width:104px;padding:1px 4px;vertical-align:top}
table.step td{padding:1px 4px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
table.step td.wrap,table.step tr:last-child td{white-space:normal;overflow-wrap:anywhere}
td.ok{color:#7fd88f}td.bad{color:#ff8a8a}
ul.changes{margin:4px 0;padding-left:18px;max-height:110px;overflow:auto;overflow-wrap:anywhere}
.list{height:198px;overflow-y:auto;background:#10141c;border:1px solid #3a445a;border-radius:6px;margin-top:6px;position:relative}
.rows{position:absolute;left:0;right:0;top:0}
.opt{display:flex;gap:8px;height:22px;line-height:22px;padding:0 6px;cursor:pointer;white-space:nowrap}
.opt[aria-selected=true]{background:#2f5bd3;color:#fff}
.opt .seq{width:48px;text-align:right;color:#a9b3c4}.opt[aria-selected=true] .seq{color:#fff}
.opt .turn{width:52px;color:#a9b3c4}.opt[aria-selected=true] .turn{color:#fff}
.opt .kind{flex:1;overflow:hidden;text-overflow:ellipsis}
.opt.after .kind{font-style:italic}
.opt .threw,li.threw{color:#f5c76b}.opt[aria-selected=true] .threw{color:#fff}
.opt .bad{color:#ff8a8a}.opt[aria-selected=true] .bad{color:#fff}
textarea.test{min-height:120px;font-family:ui-monospace,monospace;font-size:11px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
[hidden]{display:none!important}
@media (max-width:520px){dl.stats{grid-template-columns:repeat(3,minmax(0,1fr))}ul.sessions{max-height:65vh}}
`

/** Row height of the step list, in px (the virtual list's arithmetic depends on it). */
export const ROW = 22
