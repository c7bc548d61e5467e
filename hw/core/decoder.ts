// The core's instruction decoder: the rows the core implements (control.ts), decoded from the
// 32-bit word in the decode register (compressed instructions arrive expanded from fetch). Outputs:
// `legal`, every control field by its name, the register addresses of the three read ports and
// the write port, the immediates `imm` and `imm2` exactly as isa/decoder.ts decodes them, and
// whether a CSR instruction addresses a status CSR (after which the controller flushes).
import { CV32E40P_STATUS_CSRS } from '../../isa/csr-names.js';
import { defineModule, type Expr, mux, type Ports, UInt } from '../hdl/index.js';
import { coreDecodeTable } from './control.js';
import { decodeTable } from './decode-table.js';

const INTERNAL_FIELDS = new Set(['rc_high', 'is_csr']);

export interface CoreDecoderParams {
  /** The Xnmsparse revision-2 rows are decoded too. */
  readonly extension: boolean;
}

export const CoreDecoder = defineModule('CoreDecoder', (m, p: CoreDecoderParams): Ports => {
  const instr = m.input('instr', UInt(32));
  const table = coreDecodeTable(p.extension);
  const decoded = decodeTable(m, instr, table);
  const io: Record<string, Expr> = { instr };
  const out = (name: string, value: Expr): void => {
    const port = m.output(name, UInt(value.type.width));
    port.assign(value);
    io[name] = port;
  };
  out('legal', decoded.legal);
  // rc_high and is_csr serve the outputs below; the pipeline reads rc_addr and status_csr.
  for (const [name, value] of decoded.fields) if (!INTERNAL_FIELDS.has(name)) out(name, value);
  out('imm', decoded.slots.imm);
  out('imm2', decoded.slots.imm2);
  out('rs1_addr', instr.bits(19, 15));
  out('rs2_addr', instr.bits(24, 20));
  out('rd_addr', instr.bits(11, 7));
  // The hardware-loop index of the Xcvhwlp rows.
  out('loop', instr.bit(7));
  out('rc_addr', mux(decoded.fields.get('rc_high')!, instr.bits(31, 27), instr.bits(11, 7)));
  const csr = instr.bits(31, 20);
  const status = [...CV32E40P_STATUS_CSRS].sort((a, b) => a - b).map((addr) => csr.eq(addr)).reduce((a, b) => a.or(b));
  out('status_csr', decoded.fields.get('is_csr')!.and(status));
  return io as Ports;
});
