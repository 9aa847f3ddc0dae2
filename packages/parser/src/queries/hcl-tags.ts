/**
 * Tags query for HCL (Terraform, Packer, Nomad). Blocks with a label are the definitions:
 * `resource "aws_s3_bucket" "logs"` and `data "..." "..."` are named by their last label (the
 * first is the resource type), `variable`, `output` and `locals` attributes are constants,
 * `module` blocks modules (and their `source` an import), other labelled blocks (`provider`,
 * `job`, `source` ...) classes. References are the names read through `var.`, `local.`,
 * `module.` or a resource type (`aws_s3_bucket.logs.id` → `logs`), and function calls.
 */
export const hclTags = `
((block (identifier) @_kind . (string_lit) . (string_lit (template_literal) @name)) @definition.class
 (#any-of? @_kind "resource" "data"))
((block (identifier) @_kind . (string_lit (template_literal) @name) . (block_start)) @definition.constant
 (#any-of? @_kind "variable" "output"))
((block (identifier) @_kind . (string_lit (template_literal) @name) . (block_start)) @definition.module
 (#eq? @_kind "module"))
((block (identifier) @_kind . (string_lit (template_literal) @name) . (block_start)) @definition.class
 (#not-any-of? @_kind "variable" "output" "module" "resource" "data"))
((block (identifier) @_kind (body (attribute (identifier) @name) @definition.constant))
 (#eq? @_kind "locals"))

(expression (variable_expr) . (get_attr (identifier) @reference.type))
(function_call (identifier) @reference.call)

((block
   (identifier) @_kind
   (body
     (attribute
       (identifier) @_attribute
       (expression (literal_value (string_lit (template_literal) @import.source)))))) @import
 (#eq? @_kind "module")
 (#eq? @_attribute "source"))
`
