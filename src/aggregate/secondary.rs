//! Secondary (complementary) secrecy on one table: the cells of one indicator and one year at every
//! level, and the totals that tie them (`parent = Σ children`, one relation per published parent).
//! Pure linear algebra on indices; it knows nothing of territories, and the numbers it sees never
//! leave [`crate::aggregate`].
//!
//! A masked cell can be recovered exactly from published values when some combination of the
//! relations isolates it: restricted to the masked cells (the published ones move to the right-hand
//! side), the relations span a row space, and the masked cell `j` is recoverable exactly when the
//! unit vector `e_j` lies in that space. This covers the plain case (one masked child of a published
//! total: total minus the published siblings) and chains through overlapping groupings (a commune
//! in an EPCI, a département and a zoning at once). [`complementary`] masks more published cells,
//! smallest first, until no masked cell is recoverable.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Below this, an entry of the eliminated matrix is zero.
const EPSILON: f64 = 1e-9;

/// One published relation between cells: `parent = Σ children`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Relation {
    /// The total.
    pub parent: usize,
    /// Its members, each counted once.
    pub children: Vec<usize>,
}

impl Relation {
    fn cells(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.parent).chain(self.children.iter().copied())
    }
}

/// The cells to mask besides `masked` so that no masked cell can be recovered exactly by linear
/// combinations of the relations, sorted. `quantity[i]` is the protected number of cell `i` (the
/// count, or the numerator of a rate).
///
/// Each round first closes the direct leaks: every relation with exactly one masked cell gets one
/// more, its smallest published member (positive numbers before zeros, then by index, so the
/// caller's order breaks ties), else its total. When no such relation is left but a masked cell is
/// still recoverable through a chain of relations, the relation nearest to it (linked through
/// masked cells) that still has a published member gets one more the same way; the total only
/// when no relation of the chain has a published member left. Rounds go on until no masked cell is
/// recoverable; every round masks at least one more cell, so this ends.
pub(super) fn complementary(quantity: &[f64], masked: &[bool], relations: &[Relation]) -> Vec<usize> {
    let mut masked = masked.to_vec();
    let mut of_cell: Vec<Vec<usize>> = vec![Vec::new(); quantity.len()];
    for (r, relation) in relations.iter().enumerate() {
        for cell in relation.cells() {
            of_cell[cell].push(r);
        }
    }
    let mut added = Vec::new();
    loop {
        let exposed = recoverable(&masked, relations);
        if exposed.is_empty() {
            break;
        }
        let before = added.len();
        // Relations holding one masked cell, in order; one masked by an earlier one of this round
        // may already hold two.
        for relation in relations {
            if relation.cells().filter(|c| masked[*c]).count() == 1
                && let Some(extra) =
                    smallest_member(relation, quantity, &masked).or_else(|| published_total(relation, &masked))
            {
                masked[extra] = true;
                added.push(extra);
            }
        }
        if added.len() == before
            && let Some(extra) =
                exposed.iter().find_map(|&cell| complement_for(cell, quantity, &masked, relations, &of_cell))
        {
            masked[extra] = true;
            added.push(extra);
        }
        if added.len() == before {
            // Every relation around the exposed cells is masked through: nothing published is left
            // to mask there (the exposed values are then forced by the structure alone).
            break;
        }
    }
    added.sort_unstable();
    added
}

/// The smallest published member of a relation: positive numbers before zeros, then by index.
fn smallest_member(relation: &Relation, quantity: &[f64], masked: &[bool]) -> Option<usize> {
    relation.children.iter().copied().filter(|c| !masked[*c]).min_by(|a, b| {
        let key = |i: usize| (quantity[i] == 0.0, quantity[i]);
        let (ka, kb) = (key(*a), key(*b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1)).then(a.cmp(b))
    })
}

fn published_total(relation: &Relation, masked: &[bool]) -> Option<usize> {
    (!masked[relation.parent]).then_some(relation.parent)
}

/// The published cell to mask for a cell recoverable through a chain: the smallest published member
/// of the nearest relation that has one (relations holding the cell first, fewest masked first,
/// then those linked to them through masked cells), else the nearest published total.
fn complement_for(
    cell: usize,
    quantity: &[f64],
    masked: &[bool],
    relations: &[Relation],
    of_cell: &[Vec<usize>],
) -> Option<usize> {
    let masked_count = |r: usize| relations[r].cells().filter(|c| masked[*c]).count();
    let mut first: Vec<usize> = of_cell[cell].clone();
    first.sort_by_key(|&r| (masked_count(r), r));
    let mut queue: VecDeque<usize> = first.into_iter().collect();
    let mut seen: BTreeSet<usize> = queue.iter().copied().collect();
    let mut total = None;
    while let Some(r) = queue.pop_front() {
        let relation = &relations[r];
        if let Some(extra) = smallest_member(relation, quantity, masked) {
            return Some(extra);
        }
        total = total.or_else(|| published_total(relation, masked));
        for next in relation.cells().filter(|c| masked[*c]).flat_map(|c| of_cell[c].iter().copied()) {
            if seen.insert(next) {
                queue.push_back(next);
            }
        }
    }
    total
}

/// The masked cells whose value the relations give back exactly, in index order.
///
/// Gauss–Jordan elimination of the relations restricted to the masked cells: `e_j` is in the row
/// space exactly when column `j` is a pivot and its reduced row holds nothing else.
pub(super) fn recoverable(masked: &[bool], relations: &[Relation]) -> Vec<usize> {
    // Reduced rows, each with its pivot column; pivot rows hold zeros in every other pivot column.
    let mut reduced: Vec<(usize, BTreeMap<usize, f64>)> = Vec::new();
    let mut pivot_row: BTreeMap<usize, usize> = BTreeMap::new();
    for relation in relations {
        let mut row: BTreeMap<usize, f64> = BTreeMap::new();
        if masked[relation.parent] {
            *row.entry(relation.parent).or_default() += 1.0;
        }
        for &child in relation.children.iter().filter(|c| masked[**c]) {
            *row.entry(child).or_default() -= 1.0;
        }
        row.retain(|_, v| v.abs() > EPSILON);
        // Subtracting a pivot row touches only its own pivot column and non-pivot columns, so one
        // pass over the pivots present in the row reduces it.
        let present: Vec<(usize, usize)> = row.keys().filter_map(|c| pivot_row.get(c).map(|&r| (*c, r))).collect();
        for (column, r) in present {
            let Some(&factor) = row.get(&column) else { continue };
            for (&c, &v) in &reduced[r].1 {
                *row.entry(c).or_default() -= factor * v;
            }
            row.retain(|_, v| v.abs() > EPSILON);
        }
        let Some((&pivot, &value)) = row.iter().max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()).then(b.0.cmp(a.0)))
        else {
            continue;
        };
        for v in row.values_mut() {
            *v /= value;
        }
        row.insert(pivot, 1.0);
        // Clear the new pivot column from the rows already reduced.
        for (_, other) in &mut reduced {
            if let Some(factor) = other.get(&pivot).copied() {
                for (&c, &v) in &row {
                    *other.entry(c).or_default() -= factor * v;
                }
                other.retain(|_, v| v.abs() > EPSILON);
            }
        }
        pivot_row.insert(pivot, reduced.len());
        reduced.push((pivot, row));
    }
    let mut out: Vec<usize> = reduced.iter().filter(|(_, row)| row.len() == 1).map(|(pivot, _)| *pivot).collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relation(parent: usize, children: &[usize]) -> Relation {
        Relation { parent, children: children.to_vec() }
    }

    fn flags(n: usize, on: &[usize]) -> Vec<bool> {
        (0..n).map(|i| on.contains(&i)).collect()
    }

    /// One total of three: with one masked child, total minus the two others gives it back; with
    /// two masked, only their sum is known.
    #[test]
    fn one_masked_child_is_recoverable_two_are_not() {
        let relations = [relation(0, &[1, 2, 3])];
        assert_eq!(recoverable(&flags(4, &[2]), &relations), [2]);
        assert!(recoverable(&flags(4, &[2, 3]), &relations).is_empty());
        // A masked total whose members are all published is their sum.
        assert_eq!(recoverable(&flags(4, &[0]), &relations), [0]);
    }

    /// The triangle of overlapping groupings: communes a, b, c (1, 2, 3) each with a published
    /// neighbour (4, 5, 6); groupings {a, b, 4} = 7, {a, c, 5} = 8, {b, c, 6} = 9. Each relation
    /// holds two masked cells, yet a = ((a+b) + (a+c) − (b+c)) / 2: every one is recoverable.
    #[test]
    fn overlapping_groupings_recover_what_no_single_total_gives() {
        let relations = [relation(7, &[1, 2, 4]), relation(8, &[1, 3, 5]), relation(9, &[2, 3, 6])];
        assert_eq!(recoverable(&flags(10, &[1, 2, 3]), &relations), [1, 2, 3]);
        // A fourth masked cell in one grouping frees them all: four unknowns, three relations.
        assert!(recoverable(&flags(10, &[1, 2, 3, 4]), &relations).is_empty());
    }

    /// Chains through levels: the masked EPCI 1 (= communes 3 + 4, both published) is its
    /// communes' sum; once commune 3 is masked too, the département 0 = EPCI 1 + EPCI 2 with EPCI 2
    /// published gives EPCI 1, and then EPCI 1 − commune 4 gives commune 3.
    #[test]
    fn a_masked_total_is_recovered_from_above_and_gives_its_child_away() {
        let relations = [relation(0, &[1, 2]), relation(1, &[3, 4]), relation(2, &[5, 6])];
        assert_eq!(recoverable(&flags(7, &[1, 3]), &relations), [1, 3]);
        // Masking EPCI 2 and commune 4 as well is not enough: EPCI 2 is the sum of its published
        // communes 5 and 6, then EPCI 1 = département − EPCI 2; only communes 3 + 4 stay unknown.
        assert_eq!(recoverable(&flags(7, &[1, 2, 3, 4]), &relations), [1, 2]);
        // With commune 5 masked too, the rows are −e1−e2, e1−e3−e4, e2−e5: any combination
        // a·(−e1−e2) + b·(e1−e3−e4) + c·(e2−e5) needs b = c = 0 to cancel e3, e4, e5, and then
        // holds e1 and e2 together: nothing is recoverable.
        assert!(recoverable(&flags(7, &[1, 2, 3, 4, 5]), &relations).is_empty());
    }

    /// The complement is the smallest published sibling, a positive one before a zero.
    #[test]
    fn the_complement_is_the_smallest_positive_sibling() {
        // Total 0 = 100; children 1..=4 hold 7 (masked), 0, 12, 81.
        let quantity = [100.0, 7.0, 0.0, 12.0, 81.0];
        let relations = [relation(0, &[1, 2, 3, 4])];
        assert_eq!(complementary(&quantity, &flags(5, &[1]), &relations), [3]);
        // Nothing to add when two children are masked already.
        assert!(complementary(&quantity, &flags(5, &[1, 3]), &relations).is_empty());
    }

    /// A single child equal to its masked total: the total's own parent is where the complement goes.
    #[test]
    fn a_lone_child_sends_the_complement_upwards() {
        // Région 0 = dép. 1 + dép. 2; dép. 1 = commune 3 alone (5, masked); dép. 2 = communes 4, 5.
        // Masking commune 3 exposes dép. 1 (its only member is... itself masked, but the région minus
        // dép. 2 gives it), so dép. 2 is masked, then dép. 2 is its published communes' sum, so the
        // smaller of them (4: 20 against 30) goes too.
        let quantity = [55.0, 5.0, 50.0, 5.0, 20.0, 30.0];
        let relations = [relation(0, &[1, 2]), relation(1, &[3]), relation(2, &[4, 5])];
        let primary = flags(6, &[1, 3]);
        let added = complementary(&quantity, &primary, &relations);
        assert_eq!(added, [2, 4]);
        let mut all = primary.clone();
        for i in added {
            all[i] = true;
        }
        assert!(recoverable(&all, &relations).is_empty());
    }
}
