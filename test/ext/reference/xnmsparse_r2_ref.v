// Behavioural descriptions of the revision-2 Xnmsparse units, written from docs/isa-extension.md
// (R2.3, R2.4) independently of the HDL generators: comparisons, indexed part-selects, loops and
// Verilog signed arithmetic instead of the generators' mux trees, masks and concatenations.
// test/ext/mac-formal.test.ts proves each generated unit equal to these with a Yosys miter and SAT.
// The multipliers (MacLanes) are not here: SAT does not prove two differently built multipliers
// equal in useful time, and their input space is small enough to test whole instead (each lane is
// a function of one byte, the weight and the form: test/ext/mac-units.test.ts tries all 2^17).

module RefMacDecoder (
  input  wire [31:0] instr,
  output wire mac,
  output wire illegal,
  output wire signed_act,
  output wire start,
  output wire half,
  output wire [1:0] lane,
  output wire [4:0] rs1,
  output wire [4:0] rs2,
  output wire [4:0] rs3
);
  // Every f2 value is an instruction (nm.mac4.u/.s, nm.mul4.u/.s); bits 11:10 must be zero.
  wire in_family = instr[6:0] == 7'h2b && instr[14:12] == 3'd7;
  assign mac = in_family && instr[11:10] == 2'b00;
  assign illegal = in_family && instr[11:10] != 2'b00;
  assign signed_act = instr[26:25] == 2'b01 || instr[26:25] == 2'b11;
  assign start = instr[26:25] >= 2'b10;
  assign half = instr[9];
  assign lane = instr[8:7];
  assign rs1 = instr[19:15];
  assign rs2 = instr[24:20];
  assign rs3 = instr[31:27];
endmodule

module RefMacAddress (
  input  wire [31:0] base,
  input  wire [31:0] offsets,
  input  wire half,
  output wire [31:0] address,
  output wire misaligned
);
  assign address = base + offsets[16 * half +: 16];
  assign misaligned = address % 4 != 0;
endmodule

module RefWeightSelect (
  input  wire [31:0] weights,
  input  wire [1:0] lane,
  output wire [7:0] weight
);
  assign weight = weights[8 * lane +: 8];
endmodule

module RefMacSums (
  input  wire [127:0] sums,
  input  wire [63:0] products,
  input  wire start,
  input  wire add,
  output reg  [127:0] next_sums
);
  integer p;
  always @* begin
    for (p = 0; p < 4; p = p + 1)
      if (add)
        next_sums[32 * p +: 32] = (start ? 32'sd0 : $signed(sums[32 * p +: 32])) + $signed(products[16 * p +: 16]);
      else
        next_sums[32 * p +: 32] = sums[32 * p +: 32];
  end
endmodule
