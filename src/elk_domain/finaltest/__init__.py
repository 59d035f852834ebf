"""The final test (doorstroomtoets): results per pupil and the rule for reconsidering the advice
(R-DT-4).
"""
