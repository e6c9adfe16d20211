"""The money layer: flows of money between parties (a set's [[flows]]), netted and traced.

Lives here: `nominal` (the one place dollars of different kinds are compared, as nominal
dollars), `select` (which flows count, for a party and a year, each with its amount), `balance`
(each seller's round trip with each buyer, each party's money in and out), `loops` (the directed
cycles of counted flows, and whether each is in time order), `vesting` (money that vests with
the GW a deal delivers), `compute` (all of it for one run), `diff` (the money of two sets
compared). May import: `gwcalc.errors`,
`gwcalc.units` and `gwcalc.sets` (it stands between `gwcalc.timelines` and
`gwcalc.uncertainty`, needing neither).
"""
