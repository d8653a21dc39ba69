"""Components: evidence and license findings mapped onto the 17 MOF components."""
