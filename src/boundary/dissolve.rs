//! Dissolving a finer layer into a coarser one (communes into EPCI, départements…) with a boolean
//! union, so that the borders the units share are exactly the borders of their members.

use std::collections::BTreeMap;

use geo::{Area, MultiPolygon, Polygon};

/// Unions the polygons of each group. Groups are given as `(key, geometry)` pairs; the result is
/// sorted by key.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use indicarto::boundary::dissolve::dissolve;
/// let left = MultiPolygon::new(vec![polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)]]);
/// let right = MultiPolygon::new(vec![polygon![(x: 1., y: 0.), (x: 2., y: 0.), (x: 2., y: 1.), (x: 1., y: 1.)]]);
/// let merged = dissolve([("A", &left), ("A", &right)]);
/// assert_eq!(merged["A"].0.len(), 1, "the shared border disappears");
/// assert!((geo::Area::unsigned_area(&merged["A"]) - 2.0).abs() < 1e-12);
/// ```
pub fn dissolve<'a, K: Ord + Clone>(
    members: impl IntoIterator<Item = (K, &'a MultiPolygon<f64>)>,
) -> BTreeMap<K, MultiPolygon<f64>> {
    let mut groups: BTreeMap<K, Vec<&'a Polygon<f64>>> = BTreeMap::new();
    for (key, geometry) in members {
        groups.entry(key).or_default().extend(geometry.0.iter());
    }
    groups
        .into_iter()
        .map(|(key, polygons)| {
            let merged = geo::unary_union(polygons);
            (key, remove_slivers(merged))
        })
        .collect()
}

/// Drops rings whose area is a vanishing fraction of the shape: numerical residue of the union
/// along borders that almost coincide.
fn remove_slivers(shape: MultiPolygon<f64>) -> MultiPolygon<f64> {
    let total = shape.unsigned_area();
    let threshold = total * 1e-9;
    MultiPolygon::new(
        shape
            .0
            .into_iter()
            .filter(|p| p.unsigned_area() > threshold)
            .map(|p| {
                let (exterior, interiors) = p.into_inner();
                let interiors = interiors
                    .into_iter()
                    .filter(|ring| Polygon::new(ring.clone(), vec![]).unsigned_area() > threshold)
                    .collect();
                Polygon::new(exterior, interiors)
            })
            .collect(),
    )
}
