/* SPDX-License-Identifier: MIT */
/*
 * Criterion's assertions as the tests use them, with one fix: in C,
 * Criterion 2.4's gt(Tag, a, b) tests "a not less than b" (a >= b), so
 * gt(u32, n, 0) passes when n is 0. Every test includes this instead of
 * <criterion/new/assert.h>, and gt() is "not(a <= b)": strictly greater.
 */
#ifndef NP_TEST_ASSERT_H
#define NP_TEST_ASSERT_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#undef gt
#define gt(Tag, Actual, Reference) not(le(Tag, Actual, Reference))

#endif /* NP_TEST_ASSERT_H */
