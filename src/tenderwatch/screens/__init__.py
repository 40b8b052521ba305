"""Price screens (CV, SPD, DIFFP, RD, KURT, SKEW, KSTEST, sub-group screens) and the collusion classifier."""
