// Which execution unit an instruction occupies in EX (the decoder's `ex_unit` field). Jumps use the
// ALU for their link (pc + length); hardware-loop set-ups, fences and system instructions need no
// unit; nm.mac4 / nm.mul4 occupy the load-store unit.
export const ExUnit = { none: 0, alu: 1, multiplier: 2, divider: 3, lsu: 4, csr: 5 } as const;
export type ExUnitName = keyof typeof ExUnit;
