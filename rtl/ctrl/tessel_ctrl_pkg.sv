// Error codes of the tiling controller. The DMA's codes (tessel_dma_pkg::dma_err_e) are 1..8;
// the controller's follow, so one ERR_CODE register tells them all apart.
package tessel_ctrl_pkg;
  typedef enum logic [3:0] {
    CtrlErrNone    = 4'd0,
    CtrlErrMagic   = 4'd9,   // the program does not start with the magic number
    CtrlErrVersion = 4'd10,  // unknown program format version or record size
    CtrlErrConfig  = 4'd11,  // compiled for other build parameters
    CtrlErrRecord  = 4'd12,  // a malformed layer record (the address names it)
    CtrlErrProgramCrc = 4'd13,  // the layer records do not match the header's CRC-32
    CtrlErrParamCrc   = 4'd14,  // a layer's parameter words do not match its record's CRC-32
    CtrlErrWeights    = 4'd15   // a tile's weights do not match their check sum
  } ctrl_err_e;
endpackage
