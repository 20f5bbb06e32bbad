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

use std::collections::BTreeMap;

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
/// still recoverable through a combination of relations, the smallest published cell that does not
/// cancel out of that combination is masked (often a total: a commune alone in its département
/// within an EPCI of another département is the EPCI plus the other EPCI of that département minus
/// the département, whatever the communes). Rounds go on until no masked cell is recoverable; every
/// round masks at least one more cell, so this ends.
pub(super) fn complementary(quantity: &[f64], masked: &[bool], relations: &[Relation]) -> Vec<usize> {
    let mut masked = masked.to_vec();
    let mut added = Vec::new();
    loop {
        let exposed = exposures(&masked, relations);
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
                exposed.values().find_map(|combination| breaker(combination, quantity, &masked, relations))
        {
            masked[extra] = true;
            added.push(extra);
        }
        if added.len() == before {
            // The combinations hold no published cell: the exposed values are forced by the
            // structure alone (zero), nothing can be masked to change that.
            break;
        }
    }
    added.sort_unstable();
    added
}

/// The published cell to mask so that `combination` of relations no longer isolates a masked cell:
/// one whose terms do not cancel out in the combination (the published communes of an EPCI across
/// two départements cancel out between the EPCI and its département; the totals do not), the
/// smallest such, positive before zero, then by index.
fn breaker(
    combination: &BTreeMap<usize, f64>,
    quantity: &[f64],
    masked: &[bool],
    relations: &[Relation],
) -> Option<usize> {
    let mut net: BTreeMap<usize, f64> = BTreeMap::new();
    for (&r, &coefficient) in combination {
        let relation = &relations[r];
        *net.entry(relation.parent).or_default() += coefficient;
        for &child in &relation.children {
            *net.entry(child).or_default() -= coefficient;
        }
    }
    net.into_iter().filter(|(cell, v)| !masked[*cell] && v.abs() > EPSILON).map(|(cell, _)| cell).min_by(|a, b| {
        let key = |i: usize| (quantity[i] == 0.0, quantity[i]);
        let (ka, kb) = (key(*a), key(*b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1)).then(a.cmp(b))
    })
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

/// The masked cells whose value the relations give back exactly, in index order.
#[cfg(test)]
fn recoverable(masked: &[bool], relations: &[Relation]) -> Vec<usize> {
    exposures(masked, relations).into_keys().collect()
}

/// The masked cells the relations give back exactly, each with one combination of relations that
/// does it (relation index → coefficient).
///
/// Gauss–Jordan elimination of the relations restricted to the masked cells, keeping track of the
/// combination of relations behind each reduced row: `e_j` is in the row space exactly when column
/// `j` is a pivot and its reduced row holds nothing else, and that row's combination gives it.
fn exposures(masked: &[bool], relations: &[Relation]) -> BTreeMap<usize, BTreeMap<usize, f64>> {
    /// A reduced row: its pivot, its entries, and the relations it combines.
    struct Reduced {
        pivot: usize,
        row: BTreeMap<usize, f64>,
        combination: BTreeMap<usize, f64>,
    }
    fn add(target: &mut BTreeMap<usize, f64>, source: &BTreeMap<usize, f64>, factor: f64) {
        for (&k, &v) in source {
            *target.entry(k).or_default() += factor * v;
        }
        target.retain(|_, v| v.abs() > EPSILON);
    }
    let mut reduced: Vec<Reduced> = Vec::new();
    let mut pivot_row: BTreeMap<usize, usize> = BTreeMap::new();
    for (r, relation) in relations.iter().enumerate() {
        let mut row: BTreeMap<usize, f64> = BTreeMap::new();
        if masked[relation.parent] {
            *row.entry(relation.parent).or_default() += 1.0;
        }
        for &child in relation.children.iter().filter(|c| masked[**c]) {
            *row.entry(child).or_default() -= 1.0;
        }
        row.retain(|_, v| v.abs() > EPSILON);
        if row.is_empty() {
            continue;
        }
        let mut combination = BTreeMap::from([(r, 1.0)]);
        // Subtracting a pivot row touches only its own pivot column and non-pivot columns, so one
        // pass over the pivots present in the row reduces it.
        let present: Vec<(usize, usize)> = row.keys().filter_map(|c| pivot_row.get(c).map(|&p| (*c, p))).collect();
        for (column, p) in present {
            let Some(&factor) = row.get(&column) else { continue };
            add(&mut row, &reduced[p].row, -factor);
            add(&mut combination, &reduced[p].combination, -factor);
        }
        let Some((&pivot, &value)) = row.iter().max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()).then(b.0.cmp(a.0)))
        else {
            continue;
        };
        for v in row.values_mut().chain(combination.values_mut()) {
            *v /= value;
        }
        row.insert(pivot, 1.0);
        // Clear the new pivot column from the rows already reduced.
        for other in &mut reduced {
            if let Some(factor) = other.row.get(&pivot).copied() {
                add(&mut other.row, &row, -factor);
                add(&mut other.combination, &combination, -factor);
            }
        }
        pivot_row.insert(pivot, reduced.len());
        reduced.push(Reduced { pivot, row, combination });
    }
    reduced.into_iter().filter(|r| r.row.len() == 1).map(|r| (r.pivot, r.combination)).collect()
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

    /// An EPCI across two départements: commune k (3) is alone in its département within EPCI X,
    /// whose communes m1 (2) and m2 (8) lie in département B with commune n (30). X = 3 + 2 + 8 =
    /// 13, B = 2 + 8 + 30 = 40, Y = n = 30 are published. No total holds a single masked cell,
    /// yet k = X − (m1 + m2) = X − (B − n) = 13 − 10 = 3. Masking more communes of B cannot help
    /// (m1 and m2 cancel out between X and B); masking X, the smallest published cell that does
    /// not cancel out (13 against B's 40 and n's 30), does.
    #[test]
    fn an_epci_across_two_departements_gets_a_total_masked() {
        // Cells: 0 k, 1 m1, 2 m2, 3 n, 4 X, 5 B, 6 Y.
        let quantity = [3.0, 2.0, 8.0, 30.0, 13.0, 40.0, 30.0];
        let relations = [relation(4, &[0, 1, 2]), relation(5, &[1, 2, 3]), relation(6, &[3])];
        let primary = flags(7, &[0, 1, 2]);
        assert_eq!(recoverable(&primary, &relations), [0]);
        assert_eq!(complementary(&quantity, &primary, &relations), [4]);
        assert!(recoverable(&flags(7, &[0, 1, 2, 4]), &relations).is_empty());
    }
}
