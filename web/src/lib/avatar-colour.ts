// Avatar backgrounds that keep white initials readable: each hue as light as it can be while its
// contrast with white stays at least 4.5:1 (WCAG AA for normal text), so yellows and greens get
// darker than blues instead of one lightness for all (at 45%, yellow was 2.4:1).
const SATURATION = 0.6;
/** A little above 4.5, so rounding in the browser never takes a colour under it. */
const TARGET = 4.6;

type Rgb = [number, number, number];

function hslToRgb(hue: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + hue / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [f(0), f(8), f(4)].map((v) => Math.round(v * 255)) as Rgb;
}

/** WCAG relative luminance of an sRGB colour. */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export const contrastWithWhite = (rgb: Rgb): number => 1.05 / (luminance(rgb) + 0.05);

const cache = new Map<number, Rgb>();

/** The background for a hue (0-359) as [r, g, b]. */
export function avatarRgb(hue: number): Rgb {
  const h = ((Math.round(hue) % 360) + 360) % 360;
  let rgb = cache.get(h);
  if (!rgb) {
    // Lighter is lower contrast: find the lightest lightness that still reaches the target.
    let lo = 0;
    let hi = 0.6;
    for (let i = 0; i < 16; i++) {
      const mid = (lo + hi) / 2;
      if (contrastWithWhite(hslToRgb(h, SATURATION, mid)) >= TARGET) lo = mid;
      else hi = mid;
    }
    rgb = hslToRgb(h, SATURATION, lo);
    cache.set(h, rgb);
  }
  return rgb;
}

export const avatarBackground = (hue: number): string => `rgb(${avatarRgb(hue).join(" ")})`;
