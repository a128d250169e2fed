// The trend chart's marks as SVG paths, drawn the way the PDF draws them
// (crates/tirek-letters/src/chart.rs): a reliable-change arrow is a triangle pointing
// the way the score moved, a risk flag a diamond. Where they sit is Rust's layout.

/** A triangle centred on (x, y), `size` half its width and height, tip up or down. */
export function arrowPath(x: number, y: number, size: number, up: boolean): string {
  const tip = up ? -size : size;
  return `M${x},${y + tip} L${x + size},${y - tip} L${x - size},${y - tip} Z`;
}

/** A diamond centred on (x, y), `size` half its diagonal. */
export function diamondPath(x: number, y: number, size: number): string {
  return `M${x},${y - size} L${x + size},${y} L${x},${y + size} L${x - size},${y} Z`;
}

/** A band's grey, 0 (black) to 255 (white), as a CSS colour. */
export function grey(level: number): string {
  const value = Math.max(0, Math.min(255, Math.round(level)));
  return `rgb(${value}, ${value}, ${value})`;
}
