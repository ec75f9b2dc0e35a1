//! Resampling methods (`SamplerSpec`, tags of config version 2).

use super::{entry, plain, Entry};

pub const SAMPLERS: &[Entry] = &[
    plain("none", "No resampling", "Train on the training split as it is."),
    entry(
        "ros",
        "Random over-sampling",
        "Duplicates minority rows at random until the classes match (optionally jittered: smoothed bootstrap).",
        "imbalanced-learn RandomOverSampler; Menardi & Torelli 2014 (shrinkage)",
        "https://imbalanced-learn.org/stable/references/generated/imblearn.over_sampling.RandomOverSampler.html",
    ),
    entry(
        "smote",
        "SMOTE",
        "Creates synthetic minority points on lines between a minority point and a minority neighbour.",
        "Chawla et al. 2002, JAIR",
        "https://arxiv.org/abs/1106.1813",
    ),
    entry(
        "borderline1",
        "Borderline-SMOTE 1",
        "SMOTE only from minority points near the boundary (in danger), toward minority neighbours.",
        "Han, Wang & Mao 2005, ICIC",
        "https://doi.org/10.1007/11538059_91",
    ),
    entry(
        "borderline2",
        "Borderline-SMOTE 2",
        "Like Borderline-SMOTE 1, but also interpolates part-way toward majority neighbours.",
        "Han, Wang & Mao 2005, ICIC",
        "https://doi.org/10.1007/11538059_91",
    ),
    entry(
        "adasyn",
        "ADASYN",
        "SMOTE that makes more points where the minority is hardest to learn (many majority neighbours).",
        "He et al. 2008, IJCNN",
        "https://doi.org/10.1109/IJCNN.2008.4633969",
    ),
    entry(
        "svm_smote",
        "SVM-SMOTE",
        "SMOTE seeded from the support vectors of an SVM, extrapolating where the minority is safe.",
        "Nguyen, Cooper & Kamei 2011, IJKESDP",
        "https://imbalanced-learn.org/stable/references/generated/imblearn.over_sampling.SVMSMOTE.html",
    ),
    entry(
        "kmeans_smote",
        "KMeans-SMOTE",
        "Clusters the data with k-means and runs SMOTE inside clusters where the minority dominates.",
        "Last, Douzas & Bacao 2017",
        "https://arxiv.org/abs/1711.00837",
    ),
    entry(
        "smote_enn",
        "SMOTE + ENN",
        "SMOTE, then Edited Nearest Neighbours removes points their neighbours disagree with.",
        "Batista, Prati & Monard 2004, SIGKDD Explorations",
        "https://doi.org/10.1145/1007730.1007735",
    ),
    entry(
        "smote_tomek",
        "SMOTE + Tomek links",
        "SMOTE, then removes both points of every Tomek link (mutual nearest neighbours of different classes).",
        "Batista, Prati & Monard 2004, SIGKDD Explorations",
        "https://doi.org/10.1145/1007730.1007735",
    ),
    entry(
        "rus",
        "Random under-sampling",
        "Drops majority rows at random until the classes match.",
        "imbalanced-learn RandomUnderSampler",
        "https://imbalanced-learn.org/stable/references/generated/imblearn.under_sampling.RandomUnderSampler.html",
    ),
    entry(
        "tomek",
        "Tomek links",
        "Removes the majority point of each pair of mutual nearest neighbours from different classes.",
        "Tomek 1976, IEEE Trans. SMC",
        "https://doi.org/10.1109/TSMC.1976.4309452",
    ),
    entry(
        "enn",
        "Edited Nearest Neighbours",
        "Removes points whose k nearest neighbours mostly (or all) belong to another class.",
        "Wilson 1972, IEEE Trans. SMC",
        "https://doi.org/10.1109/TSMC.1972.4309137",
    ),
    entry(
        "renn",
        "Repeated ENN",
        "Applies Edited Nearest Neighbours again and again until nothing changes.",
        "Tomek 1976 (imbalanced-learn's page)",
        "https://imbalanced-learn.org/stable/references/generated/imblearn.under_sampling.RepeatedEditedNearestNeighbours.html",
    ),
    entry(
        "allknn",
        "All k-NN",
        "Edited Nearest Neighbours with 1, 2, ..., k neighbours in turn.",
        "Tomek 1976 (imbalanced-learn's page)",
        "https://imbalanced-learn.org/stable/references/generated/imblearn.under_sampling.AllKNN.html",
    ),
    entry(
        "cnn",
        "Condensed Nearest Neighbour",
        "Keeps only the majority points a 1-NN rule needs to classify the rest correctly.",
        "Hart 1968, IEEE Trans. IT",
        "https://doi.org/10.1109/TIT.1968.1054155",
    ),
    entry(
        "oss",
        "One-Sided Selection",
        "Condensed Nearest Neighbour, then removal of Tomek links.",
        "Kubat & Matwin 1997, ICML (imbalanced-learn's page)",
        "https://imbalanced-learn.org/stable/references/generated/imblearn.under_sampling.OneSidedSelection.html",
    ),
    entry(
        "ncr",
        "Neighbourhood Cleaning Rule",
        "ENN on the majority plus removal of majority neighbours that misclassify minority points.",
        "Laurikkala 2001, AIME",
        "https://doi.org/10.1007/3-540-48229-6_9",
    ),
    entry(
        "nearmiss",
        "NearMiss",
        "Keeps the majority points closest to (version 1, 2) or surrounding (version 3) the minority.",
        "Mani & Zhang 2003 (imbalanced-learn's page)",
        "https://imbalanced-learn.org/stable/references/generated/imblearn.under_sampling.NearMiss.html",
    ),
    entry(
        "cluster_centroids",
        "Cluster centroids",
        "Replaces each majority class by the centroids of k-means clusters (or the points nearest them).",
        "imbalanced-learn ClusterCentroids",
        "https://imbalanced-learn.org/stable/references/generated/imblearn.under_sampling.ClusterCentroids.html",
    ),
];

// The imbalanced-learn links must all point at its API reference.
#[cfg(test)]
mod tests {
    use super::*;

    const IMBLEARN: &str = "https://imbalanced-learn.org/stable/references/generated/imblearn.";

    #[test]
    fn every_engine_sampler_has_an_entry() {
        for tag in imlab_engine::resample::SamplerSpec::known_names() {
            let e = super::super::find(SAMPLERS, tag);
            assert_eq!(e.tag, tag, "no catalog entry for sampler `{tag}`");
        }
        for e in SAMPLERS {
            if let Some(s) = e.source {
                assert!(s.url.starts_with("https://"), "{}", e.tag);
                if s.url.contains("imbalanced-learn.org") {
                    assert!(s.url.starts_with(IMBLEARN), "{}", e.tag);
                }
            }
        }
    }
}
