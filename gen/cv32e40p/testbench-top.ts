// The SystemVerilog top the Verilator model is built from: cv32e40p_core in the configuration the
// timing facts were measured with, its two OBI ports brought out to the C++ driver, and what the
// driver observes of the pipeline (read through hierarchical references, so the RTL stays
// unmodified): a retirement (the ID-stage condition of the core's own minstret event), its pc,
// ecall/ebreak/illegal decodes, a CSR write to mtvec (the program installs a trap handler), and
// both register-file write ports. The interrupt lines come from the driver's CLINT.
export const TESTBENCH_TOP_MODULE = 'nmsparse_cv32e40p_tb';

export const TESTBENCH_TOP = `module ${TESTBENCH_TOP_MODULE} (
    input  logic        clk_i,
    input  logic        rst_ni,
    input  logic [31:0] boot_addr_i,
    input  logic [31:0] mtvec_addr_i,
    output logic        instr_req_o,
    input  logic        instr_gnt_i,
    input  logic        instr_rvalid_i,
    output logic [31:0] instr_addr_o,
    input  logic [31:0] instr_rdata_i,
    output logic        data_req_o,
    input  logic        data_gnt_i,
    input  logic        data_rvalid_i,
    output logic        data_we_o,
    output logic [ 3:0] data_be_o,
    output logic [31:0] data_addr_o,
    output logic [31:0] data_wdata_o,
    input  logic [31:0] data_rdata_i,
    input  logic [31:0] irq_i,
    output logic        irq_ack_o,
    output logic [ 4:0] irq_id_o,
    output logic        sleep_o,
    output logic        retire_o,
    output logic [31:0] retire_pc_o,
    output logic        ecall_o,
    output logic        ebreak_o,
    output logic        illegal_o,
    output logic        mtvec_write_o,
    output logic        flush_wb_o,
    output logic        we_a_o,
    output logic [ 4:0] waddr_a_o,
    output logic [31:0] wdata_a_o,
    output logic        we_b_o,
    output logic [ 4:0] waddr_b_o,
    output logic [31:0] wdata_b_o
);
  cv32e40p_core #(
      .COREV_PULP(1),
      .COREV_CLUSTER(0),
      .FPU(0),
      .ZFINX(0),
      .NUM_MHPMCOUNTERS(1)
  ) core_i (
      .clk_i(clk_i),
      .rst_ni(rst_ni),
      .pulp_clock_en_i(1'b1),
      .scan_cg_en_i(1'b0),
      .boot_addr_i(boot_addr_i),
      .mtvec_addr_i(mtvec_addr_i),
      .dm_halt_addr_i(32'h0),
      .hart_id_i(32'h0),
      .dm_exception_addr_i(32'h0),
      .instr_req_o(instr_req_o),
      .instr_gnt_i(instr_gnt_i),
      .instr_rvalid_i(instr_rvalid_i),
      .instr_addr_o(instr_addr_o),
      .instr_rdata_i(instr_rdata_i),
      .data_req_o(data_req_o),
      .data_gnt_i(data_gnt_i),
      .data_rvalid_i(data_rvalid_i),
      .data_we_o(data_we_o),
      .data_be_o(data_be_o),
      .data_addr_o(data_addr_o),
      .data_wdata_o(data_wdata_o),
      .data_rdata_i(data_rdata_i),
      .apu_busy_o(),
      .apu_req_o(),
      .apu_gnt_i(1'b0),
      .apu_operands_o(),
      .apu_op_o(),
      .apu_flags_o(),
      .apu_rvalid_i(1'b0),
      .apu_result_i(32'h0),
      .apu_flags_i('0),
      .irq_i(irq_i),
      .irq_ack_o(irq_ack_o),
      .irq_id_o(irq_id_o),
      .debug_req_i(1'b0),
      .debug_havereset_o(),
      .debug_running_o(),
      .debug_halted_o(),
      .fetch_enable_i(1'b1),
      .core_sleep_o(sleep_o)
  );

  wire decoded = core_i.is_decoding && core_i.id_valid;
  assign retire_o = core_i.id_stage_i.minstret;
  assign retire_pc_o = core_i.pc_id;
  assign ecall_o = decoded && core_i.id_stage_i.ecall_insn_dec;
  assign ebreak_o = decoded && core_i.id_stage_i.ebrk_insn_dec;
  assign illegal_o = decoded && core_i.id_stage_i.illegal_insn_dec;
  // A csrw/csrs/csrc to mtvec in EX (csrr decodes as a read and writes nothing).
  // The controller's last flush state after an exception in decode: it jumps to mtvec now.
  assign flush_wb_o = core_i.id_stage_i.controller_i.ctrl_fsm_cs == cv32e40p_pkg::FLUSH_WB;
  assign mtvec_write_o = core_i.csr_access_ex && core_i.csr_op_ex != cv32e40p_pkg::CSR_OP_READ && core_i.alu_operand_b_ex[11:0] == 12'h305;
  assign we_a_o = core_i.id_stage_i.register_file_i.we_a_i;
  assign waddr_a_o = core_i.id_stage_i.register_file_i.waddr_a_i[4:0];
  assign wdata_a_o = core_i.id_stage_i.register_file_i.wdata_a_i;
  assign we_b_o = core_i.id_stage_i.register_file_i.we_b_i;
  assign waddr_b_o = core_i.id_stage_i.register_file_i.waddr_b_i[4:0];
  assign wdata_b_o = core_i.id_stage_i.register_file_i.wdata_b_i;
endmodule
`;

/**
 * Verilator configuration: what the C++ driver writes and reads directly, the register file (the
 * initial stack pointer, the registers at the end), the counters (mcycle's start, their values
 * around the driver's handler) with mhpmcounter3's event selector, and the trap CSRs (kept for a
 * program with its own handler while the driver's serves an ecall).
 */
export const TESTBENCH_CONFIG = `\`verilator_config
public_flat_rw -module "cv32e40p_register_file" -var "mem"
public_flat_rw -module "cv32e40p_cs_registers" -var "mhpmcounter_q"
public_flat_rd -module "cv32e40p_cs_registers" -var "mhpmevent_q"
public_flat_rw -module "cv32e40p_cs_registers" -var "mtvec_q"
public_flat_rw -module "cv32e40p_cs_registers" -var "mepc_q"
public_flat_rw -module "cv32e40p_cs_registers" -var "mcause_q"
public_flat_rw -module "cv32e40p_cs_registers" -var "mscratch_q"
public_flat_rw -module "cv32e40p_cs_registers" -var "mstatus_q"
public_flat_rd -module "cv32e40p_cs_registers" -var "mie_q"
`;
