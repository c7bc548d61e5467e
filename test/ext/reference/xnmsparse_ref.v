// Behavioural descriptions of the Xnmsparse units, written from docs/isa-extension.md
// independently of the HDL generators: Verilog arithmetic, division and indexed part-selects
// instead of the generators' concatenations and mux trees. test/ext/formal.test.ts proves each
// generated unit equal to these with a Yosys miter and SAT, for every input.

module RefIndexDecompressor #(parameter M = 8) (
  input  wire [31:0] indices,
  output wire [$clog2(M)-1:0] index,
  output wire [31:0] rest
);
  assign index = indices % M;
  assign rest = indices / M;
endmodule

module RefGatherAddress #(parameter M = 8, parameter N = 1, parameter BYTES = 1) (
  input  wire [31:0] base,
  input  wire [$clog2(M)-1:0] index,
  input  wire [$clog2(4 / BYTES)-1:0] lane,
  output wire [31:0] address,
  output wire misaligned
);
  wire [31:0] block = lane / N;
  assign address = base + (block * M + index) * BYTES;
  assign misaligned = BYTES == 2 && address % 2 == 1;
endmodule

module RefLaneInserter #(parameter BYTES = 1) (
  input  wire [31:0] word,
  input  wire [31:0] rdata,
  input  wire [1:0] offset,
  input  wire [$clog2(4 / BYTES)-1:0] lane,
  output reg  [31:0] result
);
  // Elements are naturally aligned: a halfword's offset is even, so it starts at byte 0 or 2.
  wire [1:0] start = offset - offset % BYTES;
  always @* begin
    result = word;
    result[lane * 8 * BYTES +: 8 * BYTES] = rdata[start * 8 +: 8 * BYTES];
  end
endmodule

module RefGatherDecoder #(parameter M = 8, parameter N = 1, parameter BYTES = 1) (
  input  wire [31:0] instr,
  output wire gather,
  output wire illegal,
  output wire [$clog2(4 / BYTES)-1:0] lane,
  output wire consume,
  output wire [4:0] rd,
  output wire [4:0] rs1,
  output wire [4:0] rs2
);
  wire in_family = instr[6:0] == 7'b0101011 && instr[14:12] == 3'b110;
  wire [1:0] m_field = instr[29:28];
  wire this_format = instr[31] == (BYTES == 2) && instr[30] == (N == 2) && m_field != 2'b11 && (4 << m_field) == M;
  wire lane_exists = instr[26:25] < 4 / BYTES;
  wire writes_twice = instr[27] && rd == rs2 && rd != 0;
  assign gather = in_family && this_format && lane_exists && !writes_twice;
  assign illegal = in_family && !gather;
  assign lane = instr[25 +: $clog2(4 / BYTES)];
  assign consume = instr[27];
  assign rd = instr[11:7];
  assign rs1 = instr[19:15];
  assign rs2 = instr[24:20];
endmodule
