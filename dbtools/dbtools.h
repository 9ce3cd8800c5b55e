/* SPDX-License-Identifier: MIT */
/*
 * Tools for a database's authors, run as netprint's subcommands: report
 * (how well databases name the hosts of captures) and learn (database
 * lines proposed from labelled traffic). No DPDK: captures are read with
 * libnetprint's observer.
 */
#ifndef NP_DBTOOLS_H
#define NP_DBTOOLS_H

/* argv[0] is "report" / "learn". Return the exit status. */
int np_report_main(int argc, char **argv);
int np_learn_main(int argc, char **argv);

#endif /* NP_DBTOOLS_H */
