import { describe, expect, it } from "vitest";
import { avatarBackground, avatarRgb, contrastWithWhite } from "./avatar-colour.ts";

describe("avatar colours", () => {
  it("keep white initials at 4.5:1 or more on every hue", () => {
    for (let hue = 0; hue < 360; hue++) expect(contrastWithWhite(avatarRgb(hue)), `hue ${hue}`).toBeGreaterThanOrEqual(4.5);
  });

  it("stay colourful: no hue is pushed to near black", () => {
    for (let hue = 0; hue < 360; hue++) expect(Math.max(...avatarRgb(hue)), `hue ${hue}`).toBeGreaterThan(90);
  });

  it("is a CSS colour, the same for the same hue", () => {
    expect(avatarBackground(60)).toMatch(/^rgb\(\d+ \d+ \d+\)$/);
    expect(avatarBackground(420)).toBe(avatarBackground(60));
  });
});
