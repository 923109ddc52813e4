"""The integer IR: a graph of quantized operations, the single representation every stage shares."""

from .graph import INPUT, Graph
from .ops import (Activation, ActivationOp, ActivationQuant, Add, AddQuant, AvgPool, AvgPoolQuant,
                  Conv2d, ConvQuant, MaxPool, Op, ScaleShift, ScaleShiftQuant)
from .qparams import QMAX, QMIN, QParams

__all__ = ["INPUT", "Graph", "Op", "Conv2d", "Add", "MaxPool", "AvgPool", "ScaleShift",
           "ActivationOp", "Activation", "ConvQuant", "AddQuant", "AvgPoolQuant",
           "ScaleShiftQuant", "ActivationQuant", "QParams", "QMIN", "QMAX"]
