// A round avatar with initials in a colour that stays the same for a name.
import { Icon } from "./Icon.tsx";
import { avatarBackground } from "../../lib/avatar-colour.ts";
import { hueOf, initials } from "../../lib/format.ts";

export function Avatar({ name, size = 36, bot = false }: { name: string; size?: number; bot?: boolean }) {
  const hue = hueOf(name);
  return (
    <span
      className={`avatar${bot ? " avatar-bot" : ""}`}
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.4, background: bot ? undefined : avatarBackground(hue) }}
    >
      {bot ? <Icon name="bot" size={size * 0.6} /> : initials(name)}
    </span>
  );
}
