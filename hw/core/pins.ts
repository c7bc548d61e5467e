// Access to a child instance's ports by their Verilog names, the names a reader of the unit's file
// and of the emitted Verilog sees, whatever keys its generator returns them under.
import type { Ports, Signal } from '../hdl/index.js';

export type Pins = (port: string) => Signal;

export function pins(instanceName: string, io: Ports): Pins {
  const byName = new Map(Object.values(io).map((wire) => [wire.name, wire]));
  return (port) => {
    const wire = byName.get(`${instanceName}_${port}`);
    if (!wire) throw new Error(`instance ${instanceName} has no port '${port}' (its ports: ${[...byName.keys()].join(', ')})`);
    return wire;
  };
}
