// Behavioural descriptions of the revision-2 Xnmsparse units, written from docs/isa-extension.md
// (R2.3, R2.4) independently of the HDL generators: case statements, indexed part-selects and
// Verilog signed arithmetic instead of the generators' mux trees and concatenations.
// test/ext/mac-formal.test.ts proves each generated unit equal to these with a Yosys miter and SAT.
// The multipliers (MacLanes) are not here: SAT does not prove two differently built multipliers
// equal in useful time, and their input space is small enough to test whole instead (each lane is
// a function of one byte, the weight and the form: test/ext/mac-units.test.ts tries all 2^17).

module RefMacDecoder (
  input  wire [31:0] instr,
  output reg  mac,
  output reg  racc,
  output wire illegal,
  output wire signed_act,
  output wire half,
  output wire [1:0] lane,
  output wire [1:0] acc,
  output wire [4:0] rd,
  output wire [4:0] rs1,
  output wire [4:0] rs2,
  output wire [4:0] rs3
);
  wire in_family = instr[6:0] == 7'h2b && instr[14:12] == 3'd7;
  always @* begin
    mac = 0;
    racc = 0;
    if (in_family)
      case (instr[26:25])
        2'b00, 2'b01: mac = instr[11:10] == 0;
        2'b10: racc = instr[31:27] == 0 && instr[24:22] == 0 && instr[19:15] == 0;
        default: ;
      endcase
  end
  assign illegal = in_family && !mac && !racc;
  assign signed_act = instr[25];
  assign half = instr[9];
  assign lane = instr[8:7];
  assign acc = instr[21:20];
  assign rd = instr[11:7];
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
