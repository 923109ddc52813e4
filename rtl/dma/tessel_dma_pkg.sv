// Types shared by the DMA engines and their users (the tiling controller, the register block).
// The byte address width comes from the configuration (configs/<target>.yaml, axi.addr_width).
`include "tessel_axi_typedef.svh"

package tessel_dma_pkg;
  /// Byte address bits on the AXI masters and in a command.
  localparam int unsigned AddrWidth = tessel_config_pkg::AxiAddrWidth;

  // Address arithmetic inside the engines is this wide, so that
  // addr + (rows-1) * row_stride + (planes-1) * plane_stride never wraps: each product is below
  // 2^48, the sum of both below 2^49, plus an address below 2^max(AddrWidth, 48).
  // A row or burst that lands above the AXI address space is then simply outside the window.
  localparam int unsigned ExtAddrWidth = ((AddrWidth > 48) ? AddrWidth : 48) + 2;

  // The AXI4 bus of the configuration (axi.id_width, axi.addr_width, axi.data_width):
  // axi_req_t / axi_resp_t, their halves axi_rd_req_t ... and channels (tessel_axi_typedef.svh).
  typedef logic [tessel_config_pkg::AxiIdWidth-1:0]     axi_id_t;
  typedef logic [AddrWidth-1:0]                         axi_addr_t;
  typedef logic [tessel_config_pkg::AxiDataWidth-1:0]   axi_data_t;
  typedef logic [tessel_config_pkg::AxiDataWidth/8-1:0] axi_strb_t;
  `TESSEL_AXI_TYPEDEF_ALL(axi, axi_addr_t, axi_id_t, axi_data_t, axi_strb_t)

  typedef logic [23:0] row_bytes_t;    // bytes of a row: 1 .. 16 MB - 1
  typedef logic [15:0] count_t;        // rows of a plane, planes of a command: 1 .. 65535
  typedef logic [31:0] stride_t;       // bytes between row or plane starts
  typedef logic [12:0] burst_bytes_t;  // bytes of a burst: 1 .. 4096

  // One DMA command: `planes` planes of `rows` rows of `row_bytes` bytes each. Strides are
  // unsigned byte distances; any value is legal (zero or smaller than a row reads the same
  // bytes again; for writes, later rows overwrite earlier ones).
  typedef struct packed {
    logic [AddrWidth-1:0] addr;          // byte address of the first byte
    row_bytes_t           row_bytes;     // bytes per row (>= 1)
    count_t               rows;          // rows per plane (>= 1)
    stride_t              row_stride;    // bytes between row starts
    count_t               planes;        // planes (>= 1)
    stride_t              plane_stride;  // bytes between plane starts
  } dma_cmd_t;

  // Error codes, as read from the ERR_CODE register (rtl/regs/tessel_regs.rdl lists the same
  // values; tests/test_registers.py checks that they agree).
  typedef enum logic [3:0] {
    DmaErrNone      = 4'd0,
    DmaErrCmdRd     = 4'd1,  // malformed read command (a zero count)
    DmaErrCmdWr     = 4'd2,  // malformed write command
    DmaErrWindowRd  = 4'd3,  // a read burst outside [window base, window limit)
    DmaErrWindowWr  = 4'd4,  // a write burst outside the window
    DmaErrSlverrRd  = 4'd5,  // SLVERR on read data
    DmaErrSlverrWr  = 4'd6,  // SLVERR on a write response
    DmaErrDecerrRd  = 4'd7,  // DECERR on read data
    DmaErrDecerrWr  = 4'd8   // DECERR on a write response
  } dma_err_e;

  // A read engine's port as its user sees it, in the manner of the AXI structs: the user
  // drives the request (a command, and ready for the stream), the engine the response (the
  // command taken, and the command's bytes as a stream of beats packed from byte 0).
  // At the configuration's bus width (tessel_dma_rd itself takes any width, flat).
  typedef logic [$clog2(tessel_config_pkg::AxiDataWidth / 8):0] beat_bytes_t;
  typedef struct packed {
    logic        cmd_valid;
    dma_cmd_t    cmd;
    logic        ready;      // takes the beat
  } dma_rd_req_t;
  typedef struct packed {
    logic        cmd_ready;
    logic        valid;
    axi_data_t   data;
    logic        last;       // final beat of the command
    beat_bytes_t bytes;      // valid bytes of the beat, from byte 0 (BeatBytes but the last)
  } dma_rd_resp_t;

  // A write engine's port: a command and the bytes to write (whole beats but the last), and
  // done once the command's last write response came back.
  typedef struct packed {
    logic        cmd_valid;
    dma_cmd_t    cmd;
    logic        valid;
    axi_data_t   data;
    logic        last;       // final beat of the command
  } dma_wr_req_t;
  typedef struct packed {
    logic        cmd_ready;
    logic        ready;
    logic        done;       // one cycle: the command's last write response came back
  } dma_wr_resp_t;

  // One burst as the command walker cuts it: within one row, never across a 4 KB boundary,
  // at most 256 beats, so at most 4096 bytes.
  typedef struct packed {
    logic [ExtAddrWidth-1:0] addr;      // first byte
    burst_bytes_t            bytes;     // 1..4096
    logic                    cmd_last;  // last burst of its command
  } dma_burst_t;
endpackage
