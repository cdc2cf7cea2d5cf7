extension Console {
    /// The console's only stylesheet (`/console.css`): plain CSS, no framework, no CDN.
    static let stylesheet = """
    :root { --ink: #1d2733; --muted: #5b6775; --line: #d5dbe3; --accent: #0b5cad; --bad: #a4161a; --bg: #f6f8fa; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
    a { color: var(--accent); }
    a:focus, button:focus, input:focus, select:focus { outline: 3px solid #ffbf47; outline-offset: 1px; }
    .bar { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.2rem; background: var(--ink); color: #fff; }
    .bar a { color: #fff; text-decoration: none; }
    .bar nav { display: flex; gap: 1rem; flex: 1; }
    .brand { font-weight: 700; }
    .who { display: flex; gap: .6rem; align-items: center; margin: 0; }
    main { max-width: 75rem; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
    h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
    h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
    h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
    .card, .contract, .hold { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; margin: 0 0 1rem; }
    .hold { border-left: 4px solid #c77700; }
    .problem { background: #fff1f0; border: 1px solid var(--bad); border-radius: 6px; padding: .6rem 1rem; margin: 0 0 1rem; }
    .problem h2 { color: var(--bad); margin-top: 0; }
    .code, .muted { color: var(--muted); font-size: .9em; }
    label { display: block; margin: .5rem 0 .2rem; font-weight: 600; }
    .inline label, .compact label { display: inline; margin: 0 .3rem 0 .6rem; }
    form.inline, form.compact { display: inline-block; margin: 0 .5rem .5rem 0; }
    textarea { font: 13px/1.4 ui-monospace, monospace; width: 100%; }
    input, select { font: inherit; padding: .3rem .4rem; border: 1px solid #9aa5b1; border-radius: 4px; }
    .card input, .card select { width: 100%; max-width: 28rem; }
    button { font: inherit; padding: .3rem .8rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; margin-top: .4rem; }
    button.danger { background: var(--bad); border-color: var(--bad); }
    .who button { background: transparent; border-color: #fff; margin: 0; }
    .actions form { display: inline-block; margin-right: .4rem; }
    table { width: 100%; border-collapse: collapse; background: #fff; margin: .5rem 0 1rem; }
    caption { text-align: left; font-weight: 600; padding: .3rem 0; }
    th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
    td form.compact button { padding: .1rem .5rem; margin: 0; }
    .status { display: inline-block; padding: 0 .45rem; border-radius: 999px; background: #e6ebf1; font-size: .85em; }
    .status-active, .status-completed, .status-current { background: #dcf3e3; }
    .status-held, .status-inJeopardy { background: #fde7c7; }
    .status-cancelled, .status-disconnected, .status-ended { background: #f3d9da; }
    ul.tree, ul.tree ul { list-style: none; padding-left: 1.2rem; border-left: 1px dashed var(--line); }
    .msg { margin: .15rem 0 .15rem 1rem; font-size: .9em; }
    .msg-error { color: var(--bad); }
    .msg-warning { color: #8a5a00; }
    .question { border: 2px solid #c77700; }
    fieldset { border: 1px solid var(--line); margin: .5rem 0; }
    label.radio { display: inline; font-weight: normal; }
    .card input[type=radio], .card input[type=checkbox] { width: auto; }
    .tree form.compact { margin: 0 0 0 .3rem; }
    .tree form.compact button { padding: 0 .45rem; font-size: .8em; margin: 0; background: #fff; color: var(--accent); }
    details.card > summary { cursor: pointer; font-weight: 600; }
    details.card form { border-top: 1px solid var(--line); margin-top: .6rem; padding-top: .4rem; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    """
}
