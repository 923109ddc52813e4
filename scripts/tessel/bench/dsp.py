"""DSP48E2 per pair of dot-product engines, with and without packing two int8 multiplies into
one DSP (rtl/core/tessel_dpe_pair.sv), at the ZCU104 configuration's lane count."""

from .. import rtlfiles
from ..config import load_config
from ..synth import synthesize


def run() -> dict:
    lanes = load_config("zcu104").array.c_p
    source = [f for f in rtlfiles.CORE if f.stem in ("tessel_arith_pkg", "tessel_dpe_pair")]
    packed = synthesize("tessel_dpe_pair", source, {"CP": lanes, "DspPacking": 1})
    unpacked = synthesize("tessel_dpe_pair", source, {"CP": lanes, "DspPacking": 0})
    return {"dpe_pair_dsp_packed": packed["DSP48E2"], "dpe_pair_dsp_unpacked": unpacked["DSP48E2"],
            "dpe_pair_lut_packed": packed["LUT"], "dpe_pair_lut_unpacked": unpacked["LUT"],
            "dsp_packing_ratio": round(packed["DSP48E2"] / unpacked["DSP48E2"], 4)}
