// Command walker of both DMA engines: cuts a command (planes x rows x row_bytes) into AXI
// bursts, one per cycle, and checks each against the address window before offering it.
//
// A burst stays inside one row, never crosses a 4 KB boundary and has at most 256 beats.
// Stage 1 walks the command; stage 2 holds the next burst and checks
//   window base <= first byte  and  last byte + 1 <= window limit
// (the bytes the command asks for, not whole beats). A burst that fails is never offered:
// the walker reports the error and the engine halts it. A command with a zero count is refused
// the same way when it is accepted.
`include "tessel_assert.svh"

module tessel_dma_burst_gen
  import tessel_dma_pkg::*;
#(
  /// Bits per AXI data beat.
  parameter int unsigned DataWidth = tessel_config_pkg::AxiDataWidth
) (
  input  logic                    clk_i,
  input  logic                    rst_i,
  input  logic                    clear_i,        // soft reset: drop the command in progress
  input  logic                    halt_i,         // engine stopped: accept and offer nothing
  input  logic                    cmd_valid_i,
  output logic                    cmd_ready_o,
  input  dma_cmd_t                cmd_i,
  input  logic [AddrWidth-1:0]    win_base_i,
  input  logic [AddrWidth-1:0]    win_limit_i,
  output logic                    burst_valid_o,
  input  logic                    burst_ready_i,
  output dma_burst_t              burst_o,
  output logic                    busy_o,         // a command is being walked
  output logic                    err_valid_o,    // one cycle: malformed command or window
  output logic                    err_window_o,   // 1: window violation, 0: malformed command
  output logic [ExtAddrWidth-1:0] err_addr_o      // command address, or the burst's first byte
);
  localparam int unsigned BeatBytes = DataWidth / 8;
  localparam int unsigned OffWidth = $clog2(BeatBytes);
  // 256 beats from an unaligned start: the first beat holds BeatBytes - offset bytes.
  localparam int unsigned MaxBurstBytes = 256 * BeatBytes;

  if (DataWidth != 64 && DataWidth != 128 && DataWidth != 256 && DataWidth != 512) begin : gen_bad_width
    $error("%m: tessel_dma_burst_gen DataWidth must be 64, 128, 256 or 512, got %0d", DataWidth);
  end

  // Stage 1: the walker.
  logic                    active_q;
  row_bytes_t              row_bytes_q;
  count_t                  rows_q;
  stride_t                 row_stride_q, plane_stride_q;
  logic [ExtAddrWidth-1:0] plane_addr_q, row_addr_q, cur_addr_q;
  row_bytes_t              row_left_q;
  count_t                  rows_left_q, planes_left_q;

  // Stage 2: the next burst, checked against the window.
  logic       burst_valid_q;
  dma_burst_t burst_q;

  // Bytes this burst can take from the current address: up to the next 4 KB boundary and,
  // when 256 beats are less than 4 KB (64-bit bus), up to 256 beats.
  burst_bytes_t to_4k, room, take;
  logic        row_fits, last_row, last_plane;
  always_comb begin
    to_4k = 13'd4096 - {1'b0, cur_addr_q[11:0]};
    room  = to_4k;
    if (MaxBurstBytes < 4096) begin
      if (13'(MaxBurstBytes) - 13'(cur_addr_q[OffWidth-1:0]) < to_4k) begin
        room = 13'(MaxBurstBytes) - 13'(cur_addr_q[OffWidth-1:0]);
      end
    end
    row_fits   = (row_left_q <= row_bytes_t'(room));
    take       = row_fits ? burst_bytes_t'(row_left_q) : room;
    last_row   = (rows_left_q == 16'd1);
    last_plane = (planes_left_q == 16'd1);
  end

  wire malformed = (cmd_i.row_bytes == '0) || (cmd_i.rows == '0) || (cmd_i.planes == '0);
  wire cmd_fire  = cmd_valid_i && cmd_ready_o;

  wire [ExtAddrWidth-1:0] burst_end = burst_q.addr + ExtAddrWidth'(burst_q.bytes);
  wire outside = (burst_q.addr < ExtAddrWidth'(win_base_i)) ||
                 (burst_end > ExtAddrWidth'(win_limit_i));

  assign burst_valid_o = burst_valid_q && !outside && !halt_i;
  assign burst_o       = burst_q;
  wire   stage2_free   = !burst_valid_q || (burst_valid_o && burst_ready_i);
  wire   step          = active_q && !halt_i && stage2_free;

  assign cmd_ready_o = !active_q && !halt_i;
  assign busy_o      = active_q || burst_valid_q;

  always_comb begin
    err_valid_o  = 1'b0;
    err_window_o = 1'b0;
    err_addr_o   = burst_q.addr;
    if (burst_valid_q && outside && !halt_i) begin
      err_valid_o  = 1'b1;
      err_window_o = 1'b1;
    end else if (cmd_fire && malformed) begin
      err_valid_o = 1'b1;
      err_addr_o  = ExtAddrWidth'(cmd_i.addr);
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i || clear_i) begin
      active_q      <= 1'b0;
      burst_valid_q <= 1'b0;
    end else if (halt_i) begin
      active_q      <= 1'b0;
      burst_valid_q <= 1'b0;
    end else begin
      if (cmd_fire && !malformed) active_q <= 1'b1;
      if (step) begin
        burst_valid_q <= 1'b1;
        if (row_fits && last_row && last_plane) active_q <= 1'b0;
      end else if (stage2_free) begin
        burst_valid_q <= 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (cmd_fire) begin
      row_bytes_q    <= cmd_i.row_bytes;
      rows_q         <= cmd_i.rows;
      row_stride_q   <= cmd_i.row_stride;
      plane_stride_q <= cmd_i.plane_stride;
      plane_addr_q   <= ExtAddrWidth'(cmd_i.addr);
      row_addr_q     <= ExtAddrWidth'(cmd_i.addr);
      cur_addr_q     <= ExtAddrWidth'(cmd_i.addr);
      row_left_q     <= cmd_i.row_bytes;
      rows_left_q    <= cmd_i.rows;
      planes_left_q  <= cmd_i.planes;
    end else if (step) begin
      burst_q <= '{addr: cur_addr_q, bytes: take, cmd_last: row_fits && last_row && last_plane};
      if (!row_fits) begin
        cur_addr_q <= cur_addr_q + ExtAddrWidth'(take);
        row_left_q <= row_left_q - row_bytes_t'(take);
      end else if (!last_row) begin
        row_addr_q  <= row_addr_q + ExtAddrWidth'(row_stride_q);
        cur_addr_q  <= row_addr_q + ExtAddrWidth'(row_stride_q);
        row_left_q  <= row_bytes_q;
        rows_left_q <= rows_left_q - 16'd1;
      end else if (!last_plane) begin
        plane_addr_q  <= plane_addr_q + ExtAddrWidth'(plane_stride_q);
        row_addr_q    <= plane_addr_q + ExtAddrWidth'(plane_stride_q);
        cur_addr_q    <= plane_addr_q + ExtAddrWidth'(plane_stride_q);
        row_left_q    <= row_bytes_q;
        rows_left_q   <= rows_q;
        planes_left_q <= planes_left_q - 16'd1;
      end
    end
  end

  // A burst never crosses 4 KB, never exceeds 256 beats and is never empty.
  `TESSEL_ASSERT(burst_within_4k,
                 burst_valid_q |-> {1'b0, burst_q.addr[11:0]} + burst_q.bytes <= 13'd4096)
  `TESSEL_ASSERT(burst_not_empty, burst_valid_q |-> burst_q.bytes != '0)
  `TESSEL_ASSERT(burst_max_beats,
                 burst_valid_q |-> 32'(burst_q.addr[OffWidth-1:0]) + 32'(burst_q.bytes) <=
                                   MaxBurstBytes)
  `TESSEL_COVER(burst_ends_on_4k, burst_valid_q && {1'b0, burst_q.addr[11:0]} + burst_q.bytes == 13'd4096)
  `TESSEL_COVER(burst_of_max_beats,
                burst_valid_q && 32'(burst_q.addr[OffWidth-1:0]) + 32'(burst_q.bytes) == MaxBurstBytes)
  `TESSEL_COVER(burst_leaves_window, err_valid_o && err_window_o)
endmodule
