# Student growth percentiles computed the plain way with R's quantreg and splines, as the
# reference Tandem's are checked against.
#   Rscript reference_sgp.R COHORT.csv SCALES.csv OUT.csv
# COHORT.csv: ID, SCORE, PRIOR_1 (last year), PRIOR_2, PRIOR_3 (empty where the student has none);
#   every student is in the same grade progression.
# SCALES.csv: COLUMN (SCORE, PRIOR_1, ...), KNOT_1..KNOT_4, BOUNDARY_LOW, BOUNDARY_HIGH, LOSS, HOSS.
# OUT.csv: ID, SGP_ORDER_1, SGP_ORDER_2, SGP_ORDER_3 (NA where the order was not available).
suppressPackageStartupMessages({ library(quantreg); library(splines) })
args <- commandArgs(trailingOnly = TRUE)
cohort <- read.csv(args[1])
scales <- read.csv(args[2], row.names = 1)
taus <- ((1:100) - 0.5) / 100
out <- data.frame(ID = cohort$ID)
for (order in 1:3) {
  priors <- paste0("PRIOR_", order:1)  # oldest first
  rows <- complete.cases(cohort[, priors, drop = FALSE])
  data <- cohort[rows, ]
  basis <- lapply(priors, function(p) {
    s <- scales[p, ]
    bs(data[[p]], knots = as.numeric(s[1, paste0("KNOT_", 1:4)]),
       Boundary.knots = c(s$BOUNDARY_LOW, s$BOUNDARY_HIGH))
  })
  x <- cbind(1, do.call(cbind, basis))
  coefficients <- sapply(taus, function(tau) suppressWarnings(rq.fit.br(x, data$SCORE, tau = tau))$coefficients)
  predicted <- x %*% coefficients
  predicted <- pmin(pmax(predicted, scales["SCORE", "LOSS"]), scales["SCORE", "HOSS"])
  predicted <- t(apply(round(predicted, 5), 1, sort))
  sgp <- rowSums(predicted < data$SCORE)
  sgp[sgp == 0] <- 1
  sgp[sgp == 100] <- 99
  column <- rep(NA_integer_, nrow(cohort))
  column[rows] <- sgp
  out[[paste0("SGP_ORDER_", order)]] <- column
}
write.csv(out, args[3], row.names = FALSE, na = "")
