public enum FormworkModelsPlaceholder {}
