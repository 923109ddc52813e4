// Assertion and cover macros. On in simulation (the testbenches define TESSEL_ASSERT_ON),
// absent in synthesis. Every module uses clk_i and the synchronous active-high reset rst_i.
`ifndef TESSEL_ASSERT_SVH
`define TESSEL_ASSERT_SVH

`ifdef TESSEL_ASSERT_ON
  // Concurrent assertion, checked on every clock edge outside reset.
  `define TESSEL_ASSERT(name, prop) \
    name: assert property (@(posedge clk_i) disable iff (rst_i) (prop)) \
      else $error("%m: assertion %s failed", `"name`");
  // A valid/ready stream: once valid is high it stays high, with stable data, until ready.
  `define TESSEL_ASSERT_STREAM(name, valid, ready, data) \
    name``_valid_held: assert property (@(posedge clk_i) disable iff (rst_i) \
      (valid && !ready) |=> valid) else $error("%m: %s: valid dropped before ready", `"name`"); \
    name``_data_stable: assert property (@(posedge clk_i) disable iff (rst_i) \
      (valid && !ready) |=> $stable(data)) else $error("%m: %s: data changed while stalled", `"name`");
  // A cover point: an event the regression must show happening (Verilator user coverage,
  // counted by make coverage; docs/coverage.md).
  `define TESSEL_COVER(name, prop) \
    name: cover property (@(posedge clk_i) disable iff (rst_i) (prop));
`else
  `define TESSEL_ASSERT(name, prop)
  `define TESSEL_ASSERT_STREAM(name, valid, ready, data)
  `define TESSEL_COVER(name, prop)
`endif

`endif
