// Hand-written SVG for bench/scale.svg: log-log panels of how presence cost grows with mesh size.
// Measured points are filled and joined by solid lines; extrapolated ones are hollow, dashed, and
// say so in the legend.

export interface Point {
  x: number
  y: number
  measured: boolean
}

export interface Series {
  name: string
  color: string
  points: Point[]
}

export interface Panel {
  title: string
  xLabel: string
  yLabel: string
  series: Series[]
}

const W = 460
const H = 400
const M = { left: 64, right: 16, top: 40, bottom: 120 }

const esc = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
const fmtTick = (v: number) => {
  if (v >= 1e9) return `${v / 1e9}G`
  if (v >= 1e6) return `${v / 1e6}M`
  if (v >= 1e3) return `${v / 1e3}k`
  return String(v)
}

function panel(p: Panel, dx: number): string {
  const pts = p.series.flatMap((s) => s.points).filter((q) => q.x > 0 && q.y > 0)
  const lo = (v: number) => 10 ** Math.floor(Math.log10(v))
  const hi = (v: number) => 10 ** Math.ceil(Math.log10(v))
  const x0 = lo(Math.min(...pts.map((q) => q.x)))
  const x1 = hi(Math.max(...pts.map((q) => q.x)))
  const y0 = lo(Math.min(...pts.map((q) => q.y)))
  const y1 = hi(Math.max(...pts.map((q) => q.y)))
  const iw = W - M.left - M.right
  const ih = H - M.top - M.bottom
  const sx = (x: number) => dx + M.left + (Math.log10(x / x0) / Math.log10(x1 / x0)) * iw
  const sy = (y: number) => M.top + ih - (Math.log10(y / y0) / Math.log10(y1 / y0)) * ih
  const out: string[] = []
  out.push(
    `<text x="${dx + W / 2}" y="22" text-anchor="middle" class="title">${esc(p.title)}</text>`,
  )
  for (let x = x0; x <= x1 * 1.001; x *= 10) {
    out.push(`<line x1="${sx(x)}" y1="${M.top}" x2="${sx(x)}" y2="${M.top + ih}" class="grid"/>`)
    out.push(`<text x="${sx(x)}" y="${M.top + ih + 16}" text-anchor="middle">${fmtTick(x)}</text>`)
  }
  for (let y = y0; y <= y1 * 1.001; y *= 10) {
    out.push(
      `<line x1="${dx + M.left}" y1="${sy(y)}" x2="${dx + M.left + iw}" y2="${sy(y)}" class="grid"/>`,
    )
    out.push(`<text x="${dx + M.left - 6}" y="${sy(y) + 4}" text-anchor="end">${fmtTick(y)}</text>`)
  }
  out.push(`<rect x="${dx + M.left}" y="${M.top}" width="${iw}" height="${ih}" class="frame"/>`)
  out.push(
    `<text x="${dx + M.left + iw / 2}" y="${M.top + ih + 34}" text-anchor="middle">${esc(p.xLabel)}</text>`,
  )
  out.push(
    `<text transform="translate(${dx + 16},${M.top + ih / 2}) rotate(-90)" text-anchor="middle">${esc(p.yLabel)}</text>`,
  )
  p.series.forEach((s, i) => {
    const ok = s.points.filter((q) => q.x > 0 && q.y > 0).sort((a, b) => a.x - b.x)
    for (let k = 1; k < ok.length; k++) {
      const a = ok[k - 1] as Point
      const b = ok[k] as Point
      const dash = a.measured && b.measured ? '' : ' stroke-dasharray="5 4"'
      out.push(
        `<line x1="${sx(a.x)}" y1="${sy(a.y)}" x2="${sx(b.x)}" y2="${sy(b.y)}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      )
    }
    for (const q of ok) {
      const fill = q.measured ? s.color : 'white'
      out.push(
        `<circle cx="${sx(q.x)}" cy="${sy(q.y)}" r="4" fill="${fill}" stroke="${s.color}" stroke-width="2"/>`,
      )
    }
    const ly = M.top + ih + 56 + i * 16
    out.push(
      `<line x1="${dx + M.left}" y1="${ly - 4}" x2="${dx + M.left + 22}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`,
    )
    out.push(`<text x="${dx + M.left + 28}" y="${ly}">${esc(s.name)}</text>`)
  })
  return out.join('\n')
}

/** Panels side by side, with a footnote line. */
export function chart(title: string, panels: Panel[], footnote: string): string {
  const width = W * panels.length
  const height = H + 24
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(title)}</title>`,
    '<style>.title{font-size:13px;font-weight:bold}.grid{stroke:#e4e4e4}.frame{fill:none;stroke:#888}text{fill:#222}</style>',
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...panels.map((p, i) => panel(p, i * W)),
    `<text x="8" y="${height - 8}">${esc(footnote)}</text>`,
    '</svg>',
    '',
  ].join('\n')
}
