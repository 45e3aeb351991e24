"""Closed-form-tested mechanisms with no campaign knowledge.

* :mod:`~scenario.models.kernels.lanchester`: square-law attrition, exact per step;
* :mod:`~scenario.models.kernels.markov_lanchester`: the exact small-force Markov square
  law (win probability by recursion, Gillespie simulation);
* :mod:`~scenario.models.kernels.queueing`: Erlang-B and Erlang-C;
* :mod:`~scenario.models.kernels.markov`: vectorised Markov chains, absorbing-chain stats;
* :mod:`~scenario.models.kernels.engagement`: air-defence engagements, discrete-event;
* :mod:`~scenario.models.kernels.fast_engagement`: the same, fast vectorised kernel.

Import the modules themselves (this package imports nothing, so simpy and scipy load only
when a kernel that needs them is used).
"""
