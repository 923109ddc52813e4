"""The integer IR: a graph of quantized operations, the single representation every stage shares."""

from .graph import INPUT, Graph
from .ops import (Activation, ActivationOp, ActivationQuant, Add, AddQuant, AvgPool, AvgPoolQuant,
                  Concat, ConcatQuant, Conv2d, ConvQuant, ConvTranspose2d, MaxPool, Mul, MulQuant,
                  Op, ScaleShift, ScaleShiftQuant, Table, TableQuant, Upsample)
from .qparams import QMAX, QMIN, QParams

__all__ = ["INPUT", "Graph", "Op", "Conv2d", "Add", "MaxPool", "AvgPool", "ScaleShift",
           "ActivationOp", "Activation", "ConvQuant", "AddQuant", "AvgPoolQuant",
           "ScaleShiftQuant", "ActivationQuant", "QParams", "QMIN", "QMAX", "ConvTranspose2d", "Concat",
           "Upsample", "Table", "Mul", "ConcatQuant", "MulQuant", "TableQuant"]
