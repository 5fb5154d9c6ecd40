// Utility: an allocator whose value-less construct() default-initialises, so
// `resize()` of a vector of integers leaves the new elements unwritten instead of
// zero-filling them. For buffers that are resized up and then written in full
// (render_plain()'s offsets: the zero-fill cost a memset per snippet window).
#pragma once

#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace newshound {

/// std::allocator<T>, except that construct(p) with no arguments default-
/// initialises (indeterminate values for integers). Read nothing before writing it.
template <class T>
struct DefaultInitAllocator : std::allocator<T> {
  using std::allocator<T>::allocator;
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    std::allocator_traits<std::allocator<T>>::construct(static_cast<std::allocator<T>&>(*this), p,
                                                        std::forward<Args>(args)...);
  }
};

}  // namespace newshound
