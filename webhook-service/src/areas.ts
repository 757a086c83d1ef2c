import type { AreaRoutes } from "./app.ts";
import { gateArea } from "./gate/area.ts";

/**
 * The routes of the other areas, mounted by main.ts after the intake. GATE adds its mounts here
 * (plan upload, apply gate, dashboard): this list is the one line GATE edits.
 */
export const areas: readonly AreaRoutes[] = [gateArea()];
