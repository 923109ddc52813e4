// Register slice for a valid/ready stream: breaks the combinational path on both valid/data
// and ready, at full throughput (two entries, so ready_o depends only on registers).
`include "tessel_assert.svh"

module tessel_skid_buffer #(
  /// Bits of payload.
  parameter int unsigned Width = 8
) (
  input  logic             clk_i,
  input  logic             rst_i,
  input  logic             in_valid_i,
  output logic             in_ready_o,
  input  logic [Width-1:0] in_data_i,
  output logic             out_valid_o,
  input  logic             out_ready_i,
  output logic [Width-1:0] out_data_o
);
  logic             out_valid_q, skid_valid_q;
  logic [Width-1:0] out_data_q, skid_data_q;

  assign in_ready_o  = !skid_valid_q;
  assign out_valid_o = out_valid_q;
  assign out_data_o  = out_data_q;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      out_valid_q  <= 1'b0;
      skid_valid_q <= 1'b0;
    end else if (!out_valid_q || out_ready_i) begin
      // Output register free: take the skid entry first, else the input.
      out_valid_q  <= skid_valid_q || in_valid_i;
      skid_valid_q <= 1'b0;
    end else if (in_valid_i && in_ready_o) begin
      skid_valid_q <= 1'b1;  // output stalled: park the input
    end
  end

  always_ff @(posedge clk_i) begin
    if (!out_valid_q || out_ready_i) begin
      out_data_q <= skid_valid_q ? skid_data_q : in_data_i;
    end else if (in_valid_i && in_ready_o) begin
      skid_data_q <= in_data_i;
    end
  end

  `TESSEL_ASSERT_STREAM(skid_out, out_valid_o, out_ready_i, out_data_o)
endmodule
