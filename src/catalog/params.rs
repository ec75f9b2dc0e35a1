//! One-line explanations of parameters, by field name (the last part of a link key). Parameters of
//! the same name mean the same thing across methods; the few that do not are keyed `method.field`.

/// The explanation of `field` of the method tagged `method` (empty if the catalog has none).
pub fn about(method: &str, field: &str) -> &'static str {
    let specific = format!("{method}.{field}");
    PARAMS
        .iter()
        .find(|(k, _)| *k == specific)
        .or_else(|| PARAMS.iter().find(|(k, _)| *k == field))
        .map_or("", |(_, v)| v)
}

const PARAMS: &[(&str, &str)] = &[
    // Data
    ("seed", "Root of every random draw: same seed, same data, same initial weights, same batches."),
    ("test_fraction", "Share of each class held out to measure the model."),
    ("noise", "Spread of the points around the generator's shape (standard deviation)."),
    ("majority", "Rows of the majority class (class 0)."),
    ("ratio", "Minority rows per majority row (0.1 = 1:10)."),
    ("classes", "Number of classes."),
    ("n_max", "Rows of the largest class."),
    ("rho", "Imbalance factor: largest ÷ smallest (class sizes; for multi-label data, the head label's rate ÷ the tail label's)."),
    // Multi-label data and losses (`multilabel.` keys)
    ("n_samples", "Samples generated (training and test split together)."),
    ("n_labels", "Labels L, 2 to 8: half-planes of the plane that overlap, so labels co-occur."),
    ("cardinality", "Mean number of labels per sample; sets the rates with the profile (leave out with explicit rates)."),
    ("flip_rate", "Label noise: each label entry is flipped with this probability."),
    ("unknown_fraction", "Partial labels: this share of each label's positives is hidden as unknown (not negative); the loss ignores those entries."),
    ("rates", "Each label's probability, comma-separated (e.g. [0.5,0.2,0.05])."),
    ("correlation_weight", "Weight of the label-correlation penalty added to the loss (0: off): pulls co-occurring labels' outputs together, weighted by the training co-occurrence."),
    ("gamma_pos", "ASL focusing for positives (γ+); the paper uses 0."),
    ("gamma_neg", "ASL focusing for negatives (γ−); the paper uses 4."),
    ("clip", "ASL probability margin m: negatives with p ≤ m cost nothing (0.05 in the paper)."),
    ("map_alpha", "DB loss re-balancing: smoothing α of the weight map."),
    ("map_beta", "DB loss re-balancing: slope β of the weight map."),
    ("map_mu", "DB loss re-balancing: centre µ of the weight map."),
    ("focal_gamma", "DB loss: focusing γ of its focal term."),
    ("balance_param", "DB loss: scale of the positive term."),
    ("neg_scale", "DB loss negative-tolerant regularisation: scale λ of the negatives' logits."),
    ("neg_bias", "DB loss: class-specific bias κ initialised from the label prior (0: off)."),
    ("percentage", "P: the share of the data set to clone (ML-ROS) or delete (ML-RUS), in percent."),
    ("mu", "Fraction of the classes that are minority classes."),
    ("counts", "Rows of each class, comma-separated (e.g. [500,50])."),
    ("rate", "Probability that a label is flipped."),
    ("standardize", "Rescale every feature to mean 0, standard deviation 1."),
    ("features", "The file's columns used as features, in this order: header names, or 0-based positions. Choose them with checkboxes in the \"Your data\" panel."),
    // Samplers
    ("sampling_strategy", "Which classes to resample: auto, minority, not_majority, all, a ratio, or class:count pairs."),
    ("k_neighbors", "Neighbours a synthetic point may be interpolated toward."),
    ("m_neighbors", "Neighbours used to decide whether a point is in danger (near the boundary)."),
    ("n_neighbors", "Neighbours consulted by the rule."),
    ("n_neighbors_ver3", "NearMiss-3: neighbours kept around each minority point first."),
    ("version", "NearMiss variant: 1, 2 or 3."),
    ("kind_sel", "ENN: remove a point if `all` its neighbours disagree, or the `mode` does."),
    ("max_iter", "Most repetitions."),
    ("allow_minority", "Stop once a class would become smaller than the minority."),
    ("replacement", "Draw with replacement."),
    ("shrinkage", "Jitter added to duplicates (smoothed bootstrap); none = exact copies."),
    ("n_seeds_s", "Points each class starts from in Condensed Nearest Neighbour."),
    ("imblearn_compat", "Reproduce imbalanced-learn's exact behaviour, quirks included."),
    ("threshold_cleaning", "NCR: clean classes larger than this fraction of the majority."),
    ("voting", "Cluster centroids: soft = the centroids, hard = the real points nearest them."),
    ("n_clusters", "Clusters of k-means."),
    ("cluster_balance_threshold", "KMeans-SMOTE: minority share a cluster needs to be used."),
    ("density_exponent", "KMeans-SMOTE: how strongly sparse clusters get more points."),
    ("out_step", "SVM-SMOTE: step size when extrapolating away from the majority."),
    ("svm_c", "SVM-SMOTE: regularisation C of the SVM."),
    // Losses
    ("gamma", "Focusing strength: higher ignores easy rows more (0 = cross-entropy)."),
    ("alpha", "Weight of class 1 (class 0 gets 1 − α); none turns it off."),
    ("beta", "Effective-number β: 0 uniform, → 1 inverse frequency."),
    ("anyloss.beta", "β of the F-beta metric."),
    ("form", "Which published form of the loss."),
    ("reduction", "How per-row losses are averaged over the batch."),
    ("scheme", "How class weights are computed from the class counts."),
    ("max_margin", "LDAM: margin of the rarest class."),
    ("scale", "Logit scale s (cosine logits are in [−1, 1])."),
    ("tau", "Strength of the logit adjustment (1 = the Bayes-optimal shift)."),
    ("epsilon", "Share of the target spread uniformly over all classes."),
    // Pseudo-labels
    ("unlabeled_fraction", "Share of each class's training rows whose labels are withheld: the unlabeled pool."),
    ("confidence", "A pool row is pseudo-labelled when its largest class probability reaches this."),
    // Robustness (adversarial training and robust evaluation)
    ("adversarial.epsilon", "Perturbation budget ε: how far (in the norm below, in standardized input units) an attack may move each row."),
    ("robust_eval.epsilon", "Perturbation budget ε: how far (in the norm below, in standardized input units) an attack may move each test row."),
    ("adversarial_weight", "λ in (1 − λ)·clean loss + λ·adversarial loss; 1 trains on adversarial rows only."),
    ("steps", "Gradient steps of the attack."),
    ("step_size", "Size of each step; empty: 2.5 ε / steps (Madry et al.)."),
    ("random_start", "Start each attack from a random point of the ε-ball rather than the row itself."),
    ("norm", "The ball the perturbation stays in: L∞ (each coordinate within ε) or L2 (length within ε)."),
    ("metric", "Which confusion-matrix metric to optimise."),
    ("amplifier", "AnyLoss: how sharply probabilities are pushed toward 0 or 1."),
    ("eps", "Small constant for numerical safety."),
    // Model and training
    ("hidden", "Widths of the hidden layers, comma-separated; empty = logistic regression."),
    ("activation", "Non-linearity between layers."),
    ("head", "Form of the output layer."),
    ("lr", "Learning rate."),
    ("beta1", "Adam: decay of the gradient average."),
    ("beta2", "Adam: decay of the squared-gradient average."),
    ("weight_decay", "L2 pull of the weights toward zero."),
    ("momentum", "Share of the previous step kept."),
    ("nesterov", "Use Nesterov momentum."),
    ("batch_size", "Rows per optimizer step."),
    ("epochs", "Length of the run; the learning-rate schedule and DRW are timed against it."),
    ("warmup_epochs", "Epochs of linear learning-rate warm-up."),
    ("milestones", "Fractions of the run where the rate drops, e.g. [0.5,0.75]."),
    ("min_factor", "Final rate as a fraction of lr."),
    ("start_fraction", "Fraction of the run after which the class weights switch on."),
    ("method", "Which second stage."),
    ("lr_factor", "Second stage's learning rate ÷ base rate; none = the method's default."),
];
