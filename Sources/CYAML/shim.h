#ifndef FORMWORK_CYAML_SHIM_H
#define FORMWORK_CYAML_SHIM_H
#include <yaml.h>
#endif
